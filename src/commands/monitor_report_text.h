#pragma once
// `dataplane db monitor` for a terminal: the JSON report of pg::FetchMonitorReport as one
// section per topic — database, tables (partitions/chunks, sizes in KiB/MiB/GiB), aggregate
// freshness, compression, slow queries, replication, archive backlog — times as given.
#include <string>
#include <string_view>

#include "core/error.h"

namespace dataplane::commands {

//! The text; kInvalidInput "bad_report" when `report_json` is not a report of that shape.
core::Result<std::string> RenderMonitorReport(std::string_view report_json);

}  // namespace dataplane::commands
