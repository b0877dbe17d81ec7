#pragma once
// GET /v1/stats/jobs (SPEC §3): job statistics served from the aggregates
// (job_hourly/daily/weekly/monthly_stats, timescaledb_enhancements.sql), for the parameters of
// api/stats_params.h.
//
// Each item: counts (jobs, succeeded, failed, canceled), success_rate (of finished jobs),
// duration_s {avg, min, p50, p95, max}, cpu_s {avg}, mem_mb {avg, max}. Merged groups are exact
// for counts, sums, averages, min and max; p50/p95 come from the merged duration histograms
// (within 2.5 % of the exact percentile). At most kMaxStatsItems items, else a 422 that says to
// narrow the range or take a coarser bucket.
//
// format=mergeable adds what merging items of several sites exactly needs: duration_s, cpu_s and
// mem_mb gain count and sum (0 when count is 0), duration_s gains histogram (the merged
// duration_hist in api::DurationHistogram's JSON form, null without durations), and the answer
// gains "format":"mergeable" and "histogram_bins" (DurationHistogram::AppendBinsJson). The plain
// answer is unchanged by it.
#include <string>

#include "api/stats_params.h"
#include "core/error.h"
#include "pg/connection.h"

namespace dataplane::local_api {

inline constexpr int kMaxStatsItems = 10000;

//! The answer as JSON text, or kInvalidInput "too_many_items" (422) when it would exceed
//! kMaxStatsItems items. Throws core::Failure on the database's failure.
core::Result<std::string> QueryJobStats(pg::Connection& conn, const api::StatsRequest& request);

}  // namespace dataplane::local_api
