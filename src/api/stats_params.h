#pragma once
// The parameters of GET /v1/stats/jobs (SPEC §3), parsed, validated and aligned to buckets.
// All optional; unknown ones are refused:
//   from, to   RFC 3339 (UTC buckets); default the last 24 hours. `from` is rounded down and `to`
//              up to whole buckets; the answer says which range it covers.
//   bucket     1h, 1d, 1w (weeks start on Monday) or 1mo: a time series, one item per bucket
//              and group, from that aggregate. Without it: totals over the range per group,
//              from the coarsest aggregate whose buckets tile the range exactly (hours at least).
//   group_by   comma list of site, app, status (none: everything merged).
//   site_id    only this site.
//   status     comma list of running, succeeded, failed, canceled: only jobs with that current
//              status (as /v1/jobs reads it).
//   app_name   only apps whose name contains this, ignoring case (as /v1/jobs reads it).
//   format     plain (the default) or mergeable: each item also carries the counts, sums and
//              duration histogram from which items of several sites merge exactly.
// The bucket arithmetic here must match the aggregates' (timescaledb_enhancements.sql).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/time.h"

namespace dataplane::api {

enum class StatsBucket { kHour, kDay, kWeek, kMonth };
enum class StatsFormat { kPlain, kMergeable };

struct StatsRequest {
  core::Micros from = 0;                    // aligned: the first bucket's start
  core::Micros to = 0;                      // aligned: the end of the last bucket
  std::optional<StatsBucket> bucket;        // none: totals
  StatsBucket source = StatsBucket::kHour;  // the aggregate read
  bool by_site = false, by_app = false, by_status = false;
  std::optional<std::string> site_id;
  std::vector<std::string> statuses;  // none: every status
  std::optional<std::string> app_name;
  StatsFormat format = StatsFormat::kPlain;
};

//! Parses and aligns the parameters of `target` at time `now`.
core::Result<StatsRequest> ParseStatsRequest(std::string_view target, core::Micros now);

//! The `bucket` parameter's value of a bucket size: "1h", "1d", "1w", "1mo".
std::string_view ToString(StatsBucket bucket);

//! The start of the bucket that contains t, and the start of the next one.
core::Micros BucketStart(StatsBucket bucket, core::Micros t);
core::Micros NextBucket(StatsBucket bucket, core::Micros start);

}  // namespace dataplane::api
