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

//! Creates the missing daily partitions from (today - max_event_age_days - 1) to (today + 7);
//! returns how many it created (always 0 on TimescaleDB, where chunks appear on demand).
std::int64_t EnsurePartitionsAhead(Connection& conn, int max_event_age_days);

struct AggregateRefresh {
  std::string aggregate;  // job_hourly_stats, job_daily_stats, …
  std::int64_t buckets = 0;
};

//! Recomputes the job statistics buckets invalidated since the last refresh
//! (refresh_job_stats()); empty when another session is refreshing or on TimescaleDB.
std::vector<AggregateRefresh> RefreshJobStats(Connection& conn);

//! Removes aggregate buckets older than job_stats_config.keep; returns the rows removed.
std::int64_t ApplyJobStatsRetention(Connection& conn);

}  // namespace dataplane::pg
