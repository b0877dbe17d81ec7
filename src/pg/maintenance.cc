#include "pg/maintenance.h"

namespace dataplane::pg {

std::int64_t EnsurePartitionsAhead(Connection& conn) {
  return conn
      .Exec(
          "SELECT ensure_partitions((now() AT TIME ZONE 'UTC')::date, "
          "(now() AT TIME ZONE 'UTC')::date + 1)")
      .Int64(0, 0);
}

namespace {

// Runs job_stats_refresh_statements() one by one at top level, as TimescaleDB requires; none on
// plain PostgreSQL. Its "already up-to-date" notices are not logged.
void RefreshContinuousAggregates(Connection& conn) {
  PgResult refreshes = conn.Exec("SELECT aggregate, statement FROM job_stats_refresh_statements()");
  if (refreshes.Rows() == 0) return;
  conn.Exec("SET client_min_messages = warning");
  try {
    for (int row = 0; row < refreshes.Rows(); ++row) {
      conn.Exec(refreshes.Text(row, 1));
      conn.Exec("UPDATE job_stats_refresh SET refreshed_at = now() WHERE aggregate = $1",
                {std::string(refreshes.Text(row, 0))});
    }
  } catch (...) {
    if (!conn.IsBroken()) conn.Exec("RESET client_min_messages");
    throw;
  }
  conn.Exec("RESET client_min_messages");
}

}  // namespace

std::vector<AggregateRefresh> RefreshJobStats(Connection& conn) {
  PgResult r = conn.Exec("SELECT aggregate, buckets FROM refresh_job_stats()");
  std::vector<AggregateRefresh> out;
  for (int row = 0; row < r.Rows(); ++row) {
    out.push_back({std::string(r.Text(row, 0)), r.Int64(row, 1)});
  }
  // On TimescaleDB the continuous aggregates follow now; skipped when another session holds
  // the refresh, which then refreshes them itself.
  if (!out.empty()) RefreshContinuousAggregates(conn);
  return out;
}

std::int64_t ApplyJobStatsRetention(Connection& conn) {
  return conn.Exec("SELECT apply_job_stats_retention()").Int64(0, 0);
}

std::int64_t GenerateAlerts(Connection& conn) {
  return conn.Exec("SELECT count(*) FROM generate_alerts()").Int64(0, 0);
}

std::vector<std::string> AnalyzeStaleTables(Connection& conn) {
  PgResult r = conn.Exec("SELECT * FROM analyze_stale_tables()");
  std::vector<std::string> out;
  for (int row = 0; row < r.Rows(); ++row) out.emplace_back(r.Text(row, 0));
  return out;
}

MaintenanceSummary RunAllMaintenance(Connection& conn) {
  MaintenanceSummary s;
  s.partitions_created = EnsurePartitionsAhead(conn);
  s.refreshed = RefreshJobStats(conn);
  s.retention_rows_removed = ApplyJobStatsRetention(conn);
  s.alerts_created = GenerateAlerts(conn);
  s.analyzed = AnalyzeStaleTables(conn);
  return s;
}

}  // namespace dataplane::pg
