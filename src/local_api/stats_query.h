#pragma once
// GET /v1/stats/jobs (SPEC §3): job statistics served from the aggregates
// (job_hourly/daily/weekly/monthly_stats, timescaledb_enhancements.sql).
//
// Parameters (all optional; unknown ones are refused):
//   from, to   RFC 3339 (UTC buckets); default the last 24 hours. `from` is rounded down and `to`
//              up to whole buckets; the answer says which range it covers.
//   bucket     1h, 1d, 1w (weeks start on Monday) or 1mo: a time series, one item per bucket
//              and group, from that aggregate. Without it: totals over the range per group,
//              from the coarsest aggregate whose buckets tile the range exactly (hours at least).
//   group_by   comma list of site, app, status (none: everything merged).
//   site_id    only this site.
// Each item: counts (jobs, succeeded, failed, canceled), success_rate (of finished jobs),
// duration_s {avg, min, p50, p95, max}, cpu_s {avg}, mem_mb {avg, max}. Merged groups are exact
// for counts, sums, averages, min and max; p50/p95 come from the merged duration histograms
// (within 2.5 % of the exact percentile). At most kMaxStatsItems items, else a 422 that says to
// narrow the range or take a coarser bucket.
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/time.h"
#include "pg/connection.h"

namespace dataplane::local_api {

inline constexpr int kMaxStatsItems = 10000;

enum class StatsBucket { kHour, kDay, kWeek, kMonth };

struct StatsRequest {
  core::Micros from = 0;                    // aligned: the first bucket's start
  core::Micros to = 0;                      // aligned: the end of the last bucket
  std::optional<StatsBucket> bucket;        // none: totals
  StatsBucket source = StatsBucket::kHour;  // the aggregate read
  bool by_site = false, by_app = false, by_status = false;
  std::optional<std::string> site_id;
};

//! Parses and aligns the parameters of `target` at time `now`.
core::Result<StatsRequest> ParseStatsRequest(std::string_view target, core::Micros now);

//! The start of the bucket that contains t, and the start of the next one.
core::Micros BucketStart(StatsBucket bucket, core::Micros t);
core::Micros NextBucket(StatsBucket bucket, core::Micros start);

//! The answer as JSON text. Throws core::Failure: kInvalidInput (422) when it would exceed
//! kMaxStatsItems items, or the database's failure.
std::string QueryJobStats(pg::Connection& conn, const StatsRequest& request);

}  // namespace dataplane::local_api
