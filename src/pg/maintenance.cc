#include "pg/maintenance.h"

namespace dataplane::pg {

std::int64_t EnsurePartitionsAhead(Connection& conn, int max_event_age_days) {
  return conn
      .Exec(
          "SELECT ensure_partitions((now() AT TIME ZONE 'UTC')::date - $1::int, "
          "(now() AT TIME ZONE 'UTC')::date + 7)",
          {std::to_string(max_event_age_days + 1)})
      .Int64(0, 0);
}

std::vector<AggregateRefresh> RefreshJobStats(Connection& conn) {
  PgResult r = conn.Exec("SELECT aggregate, buckets FROM refresh_job_stats()");
  std::vector<AggregateRefresh> out;
  for (int row = 0; row < r.Rows(); ++row) {
    out.push_back({std::string(r.Text(row, 0)), r.Int64(row, 1)});
  }
  return out;
}

std::int64_t ApplyJobStatsRetention(Connection& conn) {
  return conn.Exec("SELECT apply_job_stats_retention()").Int64(0, 0);
}

}  // namespace dataplane::pg
