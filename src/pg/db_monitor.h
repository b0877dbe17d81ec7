#pragma once
// `dataplane db monitor`: the database health report of dataplane_monitor_report()
// (timescaledb_enhancements.sql) — tables with partition/chunk counts and sizes, aggregate
// freshness, compression, slow queries, replication, archive backlog — as JSON or as text.
#include <chrono>
#include <string>
#include <string_view>

#include "core/error.h"
#include "pg/connection.h"

namespace dataplane::pg {

//! The report as a JSON document. archive_after: the archiver's ARCHIVE_AFTER_HOURS (what
//! counts as backlog). Throws core::Failure when the database fails.
std::string FetchMonitorReport(Connection& conn, std::chrono::hours archive_after);

//! The report for a terminal: one section per topic, sizes in KiB/MiB/GiB, times as given.
//! kInvalidInput when `report_json` is not a report of that shape.
core::Result<std::string> RenderMonitorReport(std::string_view report_json);

}  // namespace dataplane::pg
