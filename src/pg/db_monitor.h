#pragma once
// `dataplane db monitor`: the database health report of dataplane_monitor_report()
// (timescaledb_enhancements.sql) — tables with partition/chunk counts and sizes, aggregate
// freshness, compression, slow queries, replication, archive backlog — as one JSON document
// (commands/monitor_report_text.h prints it for a terminal).
#include <chrono>
#include <string>
#include "pg/connection.h"

namespace dataplane::pg {

//! The report as a JSON document. archive_after: the archiver's ARCHIVE_AFTER_HOURS (what
//! counts as backlog). Throws core::Failure when the database fails.
std::string FetchMonitorReport(Connection& conn, std::chrono::hours archive_after);

}  // namespace dataplane::pg
