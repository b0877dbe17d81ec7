#pragma once
// The standard process_* metrics, as the Prometheus client libraries define them, read from
// /proc/self on each call.
//
// Contract: AppendProcessMetrics appends, in the text exposition format 0.0.4 with HELP and TYPE
// lines, process_cpu_seconds_total (counter), process_open_fds, process_max_fds,
// process_virtual_memory_bytes, process_resident_memory_bytes and process_start_time_seconds
// (gauges). A metric whose source cannot be read (no /proc, an unexpected format) is left out,
// as the Go client does: scraping must not fail because one value is missing. Safe to call from
// any thread; it keeps no state.
#include <string>
#include <string_view>
#include <vector>

namespace dataplane::metrics {

void AppendProcessMetrics(std::string& out);

//! Every name AppendProcessMetrics may print; MetricsRegistry refuses families using them.
const std::vector<std::string_view>& ProcessMetricNames();

}  // namespace dataplane::metrics
