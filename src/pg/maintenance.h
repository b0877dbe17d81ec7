#pragma once
// Database maintenance steps, shared by the Local API's background scheduler and by
// `dataplane db maintain`. Each step is one call of a function that
// database/sql/timescaledb_enhancements.sql (or schema.sql) defines, so psql users can run the
// same steps by hand. Every step is safe to run at any time, concurrently with ingest and with
// another instance running the same step (the SQL functions serialize where they must).
// Errors: a failed step throws core::Failure (from Connection::Exec); nothing is half-applied,
// each step is one transaction.
#include <cstdint>
#include <string>
#include <vector>

#include "pg/connection.h"

namespace dataplane::pg {

//! Creates today's and tomorrow's daily partitions where missing; returns how many it created
//! (always 0 on TimescaleDB, where chunks appear on demand). Past days are not made ahead: every
//! partition costs each list query (docs/architecture.md, "Partitions"), so a day gets one only
//! when an event for it arrives (the writer makes it) or the Local API runs that day.
std::int64_t EnsurePartitionsAhead(Connection& conn);

struct AggregateRefresh {
  std::string aggregate;  // job_hourly_stats, job_daily_stats, …
  std::int64_t buckets = 0;
};

//! Recomputes the job statistics buckets invalidated since the last refresh
//! (refresh_job_stats(), then on TimescaleDB job_stats_refresh_statements()); one
//! row per aggregate with the number of buckets whose jobs changed, empty when another session
//! is refreshing. Must not run inside a transaction block (the TimescaleDB refresh refuses it).
std::vector<AggregateRefresh> RefreshJobStats(Connection& conn);

//! Removes aggregate buckets and alerts older than job_stats_config.keep; returns the rows removed.
std::int64_t ApplyJobStatsRetention(Connection& conn);

//! Writes the alerts of the last hour (generate_alerts()); returns how many are new.
std::int64_t GenerateAlerts(Connection& conn);

//! ANALYZEs the tables and partitions whose statistics are missing or stale; returns their names.
std::vector<std::string> AnalyzeStaleTables(Connection& conn);

//! What one `dataplane db maintain` run did.
struct MaintenanceSummary {
  std::int64_t partitions_created = 0;
  std::vector<AggregateRefresh> refreshed;
  std::int64_t retention_rows_removed = 0;
  std::int64_t alerts_created = 0;
  std::vector<std::string> analyzed;
};

//! Every step above, in order: partitions, refresh, retention, alerts, analyze.
MaintenanceSummary RunAllMaintenance(Connection& conn);

}  // namespace dataplane::pg
