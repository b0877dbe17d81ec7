#include "pg/db_monitor.h"

namespace dataplane::pg {

std::string FetchMonitorReport(Connection& conn, std::chrono::hours archive_after) {
  return std::string(conn.Exec("SELECT dataplane_monitor_report($1::interval)::text",
                               {std::to_string(archive_after.count()) + " hours"})
                         .Text(0, 0));
}

}  // namespace dataplane::pg
