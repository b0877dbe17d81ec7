#include "commands/maintenance_summary_output.h"

#include <boost/json.hpp>

namespace dataplane::commands {

std::string MaintenanceSummaryJson(const pg::MaintenanceSummary& s) {
  boost::json::array refreshed;
  for (const pg::AggregateRefresh& r : s.refreshed) {
    refreshed.push_back({{"aggregate", r.aggregate}, {"buckets", r.buckets}});
  }
  boost::json::array analyzed;
  for (const std::string& name : s.analyzed) analyzed.push_back(boost::json::string(name));
  return boost::json::serialize(
      boost::json::object{{"partitions_created", s.partitions_created},
                          {"refreshed", refreshed},
                          {"retention_rows_removed", s.retention_rows_removed},
                          {"alerts_created", s.alerts_created},
                          {"analyzed", analyzed}});
}

std::string MaintenanceSummaryText(const pg::MaintenanceSummary& s) {
  std::string out = "partitions created: " + std::to_string(s.partitions_created) + "\n";
  for (const pg::AggregateRefresh& r : s.refreshed) {
    out += "refreshed " + r.aggregate + ": " + std::to_string(r.buckets) + " bucket(s)\n";
  }
  if (s.refreshed.empty()) {
    out +=
        "refresh: nothing to do here (TimescaleDB policies refresh, or another refresh was "
        "running)\n";
  }
  out += "retention: " + std::to_string(s.retention_rows_removed) + " row(s) removed\n";
  out += "alerts created: " + std::to_string(s.alerts_created) + "\n";
  out += "analyzed: " + std::to_string(s.analyzed.size()) + " table(s)\n";
  return out;
}

}  // namespace dataplane::commands
