#include "local_api/stats_query.h"

#include <array>
#include <chrono>

#include <boost/url/parse.hpp>

#include "local_api/query_params.h"
#include "local_api/row_writer.h"

namespace dataplane::local_api {
namespace {

constexpr core::Micros kHour = 3600 * core::kMicrosPerSecond;
constexpr core::Micros kDay = 24 * kHour;

struct LevelInfo {
  const char* name;   // the `bucket` parameter's value
  const char* table;  // the aggregate
};
constexpr std::array<LevelInfo, 4> kLevels = {{{"1h", "job_hourly_stats"},
                                               {"1d", "job_daily_stats"},
                                               {"1w", "job_weekly_stats"},
                                               {"1mo", "job_monthly_stats"}}};

const LevelInfo& Info(StatsBucket b) { return kLevels[static_cast<std::size_t>(b)]; }

core::Micros FloorTo(core::Micros t, core::Micros unit) {
  core::Micros q = t / unit;
  if (t % unit < 0) --q;
  return q * unit;
}

std::chrono::sys_days DayOf(core::Micros t) {
  return std::chrono::sys_days(std::chrono::days(FloorTo(t, kDay) / kDay));
}

core::Micros MicrosOf(std::chrono::sys_days day) {
  return static_cast<core::Micros>(day.time_since_epoch().count()) * kDay;
}

core::Micros AlignUp(StatsBucket b, core::Micros t) {
  const core::Micros start = BucketStart(b, t);
  return start == t ? t : NextBucket(b, start);
}

core::Status ParseGroupBy(std::string_view text, StatsRequest& r) {
  return ForEachListItem(text, [&r](std::string_view item) -> core::Status {
    if (item == "site") {
      r.by_site = true;
    } else if (item == "app") {
      r.by_app = true;
    } else if (item == "status") {
      r.by_status = true;
    } else {
      return BadParameter("group_by",
                          "'" + std::string(item) + "' is not one of site, app, status");
    }
    return core::OkStatus();
  });
}

}  // namespace

core::Micros BucketStart(StatsBucket bucket, core::Micros t) {
  using namespace std::chrono;
  switch (bucket) {
    case StatsBucket::kHour:
      return FloorTo(t, kHour);
    case StatsBucket::kDay:
      return FloorTo(t, kDay);
    case StatsBucket::kWeek: {
      const sys_days day = DayOf(t);
      return MicrosOf(day - (weekday(day) - Monday));
    }
    case StatsBucket::kMonth: {
      const year_month_day ymd(DayOf(t));
      return MicrosOf(sys_days(ymd.year() / ymd.month() / 1));
    }
  }
  return t;
}

core::Micros NextBucket(StatsBucket bucket, core::Micros start) {
  using namespace std::chrono;
  switch (bucket) {
    case StatsBucket::kHour:
      return start + kHour;
    case StatsBucket::kDay:
      return start + kDay;
    case StatsBucket::kWeek:
      return start + 7 * kDay;
    case StatsBucket::kMonth: {
      const year_month_day ymd(DayOf(start));
      return MicrosOf(sys_days((ymd.year() / ymd.month() / 1) + months(1)));
    }
  }
  return start;
}

core::Result<StatsRequest> ParseStatsRequest(std::string_view target, core::Micros now) {
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return core::Error::Malformed("bad_request", "malformed request target");
  StatsRequest r;
  std::optional<core::Micros> from, to;
  for (const auto& param : url->params()) {
    if (param.key.empty() && !param.has_value) continue;
    const std::string& v = param.value;
    if (param.key == "from" || param.key == "to") {
      auto t = core::ParseRfc3339(v);
      if (!t) return BadParameter(param.key, t.error().message);
      (param.key == "from" ? from : to) = *t;
    } else if (param.key == "bucket") {
      std::size_t i = 0;
      while (i < kLevels.size() && v != kLevels[i].name) ++i;
      if (i == kLevels.size())
        return BadParameter("bucket", "'" + v + "' is not one of 1h, 1d, 1w, 1mo");
      r.bucket = static_cast<StatsBucket>(i);
    } else if (param.key == "group_by") {
      if (auto s = ParseGroupBy(v, r); !s) return s.error();
    } else if (param.key == "site_id") {
      r.site_id = v;
    } else {
      return BadParameter(param.key, "unknown query parameter");
    }
  }
  if (!to) to = now;
  if (!from) from = *to - kDay;
  if (*from >= *to) return BadParameter("from", "must be before to");
  if (r.bucket) {
    r.source = *r.bucket;
    r.from = BucketStart(*r.bucket, *from);
    r.to = AlignUp(*r.bucket, *to);
    return r;
  }
  r.from = BucketStart(StatsBucket::kHour, *from);
  r.to = AlignUp(StatsBucket::kHour, *to);
  for (StatsBucket level : {StatsBucket::kMonth, StatsBucket::kWeek, StatsBucket::kDay}) {
    if (BucketStart(level, r.from) == r.from && BucketStart(level, r.to) == r.to) {
      r.source = level;
      break;
    }
  }
  return r;
}

std::string QueryJobStats(pg::Connection& conn, const StatsRequest& r) {
  std::string dims;
  if (r.bucket) dims += "bucket, ";
  if (r.by_site) dims += "site_id, ";
  if (r.by_app) dims += "app_id, ";
  if (r.by_status) dims += "status, ";
  const std::string group = dims.empty() ? ""
                                         : " GROUP BY " + dims.substr(0, dims.size() - 2) +
                                               " ORDER BY " + dims.substr(0, dims.size() - 2);
  // Fixed column positions: 0 bucket, 1 site, 2 app_id, 3 app_name, 4 status, then the figures.
  std::string sql =
      "SELECT " +
      std::string(r.bucket ? "(extract(epoch FROM bucket) * 1000000)::int8" : "NULL::int8") + ", " +
      (r.by_site ? "site_id" : "NULL") + ", " + (r.by_app ? "app_id::text" : "NULL") + ", " +
      (r.by_app ? "max(app_name)" : "NULL") + ", " + (r.by_status ? "status" : "NULL") +
      ", coalesce(sum(job_count), 0)::int8, coalesce(sum(succeeded_count), 0)::int8, "
      "coalesce(sum(failed_count), 0)::int8, coalesce(sum(canceled_count), 0)::int8, "
      "sum(succeeded_count)::float8 / nullif(sum(succeeded_count + failed_count + "
      "canceled_count), 0), "
      "sum(duration_sum) / nullif(sum(duration_count), 0), min(duration_min), "
      "duration_histogram_percentile(duration_histogram_merge(duration_hist), 0.5), "
      "duration_histogram_percentile(duration_histogram_merge(duration_hist), 0.95), "
      "max(duration_max), sum(cpu_sum) / nullif(sum(cpu_count), 0), "
      "sum(mem_sum) / nullif(sum(mem_count), 0), max(mem_max) FROM " +
      Info(r.source).table + " WHERE bucket >= $1::timestamptz AND bucket < $2::timestamptz" +
      (r.site_id ? " AND site_id = $3" : "") + group + " LIMIT " +
      std::to_string(kMaxStatsItems + 1);
  pg::Params params{core::FormatPgTimestamp(r.from), core::FormatPgTimestamp(r.to)};
  if (r.site_id) params.push_back(*r.site_id);
  pg::PgResult rows = conn.ExecPrepared(sql, params);
  if (rows.Rows() > kMaxStatsItems) {
    throw core::Failure(
        core::Error::Invalid("too_many_items", "",
                             "the answer would hold more than " + std::to_string(kMaxStatsItems) +
                                 " items: narrow from/to or take a coarser bucket"));
  }
  // Without group_by and without data the aggregate still answers one row of zeros.
  const bool empty_total = dims.empty() && rows.Rows() == 1 && rows.Int64(0, 5) == 0;
  pg::PgResult refreshed = conn.ExecPrepared(
      "SELECT (extract(epoch FROM refreshed_at) * 1000000)::int8 FROM job_stats_refresh "
      "WHERE aggregate = $1",
      {Info(r.source).table});

  std::string out = "{\"from\":";
  core::AppendJsonString(out, core::FormatRfc3339(r.from));
  out += ",\"to\":";
  core::AppendJsonString(out, core::FormatRfc3339(r.to));
  out += ",\"bucket\":";
  if (r.bucket) {
    core::AppendJsonString(out, Info(*r.bucket).name);
  } else {
    out += "null";
  }
  out += ",\"source\":";
  core::AppendJsonString(out, Info(r.source).table);
  out += ",\"group_by\":[";
  bool first = true;
  for (auto [on, name] :
       {std::pair{r.by_site, "site"}, {r.by_app, "app"}, {r.by_status, "status"}}) {
    if (!on) continue;
    if (!first) out += ',';
    core::AppendJsonString(out, name);
    first = false;
  }
  out += "],\"refreshed_at\":";
  if (refreshed.Rows() == 1) {
    core::AppendJsonString(out, core::FormatRfc3339(refreshed.Int64(0, 0)));
  } else {
    out += "null";
  }
  out += ",\"items\":[";
  const int count = empty_total ? 0 : rows.Rows();
  for (int row = 0; row < count; ++row) {
    if (row > 0) out += ',';
    out += '{';
    RowWriter w(out, rows, row);
    if (r.bucket) w.Time("bucket", 0);
    if (r.by_site) w.Text("site_id", 1);
    if (r.by_app) {
      w.Text("app_id", 2);
      w.Text("app_name", 3);
    }
    if (r.by_status) w.Text("status", 4);
    w.Integer("job_count", 5);
    w.Integer("succeeded_count", 6);
    w.Integer("failed_count", 7);
    w.Integer("canceled_count", 8);
    w.Number("success_rate", 9);
    w.Open("duration_s");
    w.Number("avg", 10);
    w.Number("min", 11);
    w.Number("p50", 12);
    w.Number("p95", 13);
    w.Number("max", 14);
    w.Close();
    w.Open("cpu_s");
    w.Number("avg", 15);
    w.Close();
    w.Open("mem_mb");
    w.Number("avg", 16);
    w.Number("max", 17);
    w.Close();
    out += '}';
  }
  out += "],\"count\":";
  core::AppendJsonNumber(out, static_cast<long long>(count));
  out += '}';
  return out;
}

}  // namespace dataplane::local_api
