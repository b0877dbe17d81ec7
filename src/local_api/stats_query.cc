#include "local_api/stats_query.h"

#include <array>

#include "local_api/row_writer.h"

namespace dataplane::local_api {
namespace {

// The aggregate of each bucket size (by api::StatsBucket).
constexpr std::array<const char*, 4> kAggregates = {"job_hourly_stats", "job_daily_stats",
                                                    "job_weekly_stats", "job_monthly_stats"};

const char* AggregateOf(api::StatsBucket bucket) {
  return kAggregates[static_cast<std::size_t>(bucket)];
}

}  // namespace

core::Result<std::string> QueryJobStats(pg::Connection& conn, const api::StatsRequest& r) {
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
      AggregateOf(r.source) + " WHERE bucket >= $1::timestamptz AND bucket < $2::timestamptz" +
      (r.site_id ? " AND site_id = $3" : "") + group + " LIMIT " +
      std::to_string(kMaxStatsItems + 1);
  pg::Params params{core::FormatPgTimestamp(r.from), core::FormatPgTimestamp(r.to)};
  if (r.site_id) params.push_back(*r.site_id);
  pg::PgResult rows = conn.ExecPrepared(sql, params);
  if (rows.Rows() > kMaxStatsItems) {
    return core::Error::Invalid("too_many_items", "",
                                "the answer would hold more than " +
                                    std::to_string(kMaxStatsItems) +
                                    " items: narrow from/to or take a coarser bucket");
  }
  // Without group_by and without data the aggregate still answers one row of zeros.
  const bool empty_total = dims.empty() && rows.Rows() == 1 && rows.Int64(0, 5) == 0;
  pg::PgResult refreshed = conn.ExecPrepared(
      "SELECT (extract(epoch FROM refreshed_at) * 1000000)::int8 FROM job_stats_refresh "
      "WHERE aggregate = $1",
      {AggregateOf(r.source)});

  std::string out = "{\"from\":";
  core::AppendJsonString(out, core::FormatRfc3339(r.from));
  out += ",\"to\":";
  core::AppendJsonString(out, core::FormatRfc3339(r.to));
  out += ",\"bucket\":";
  if (r.bucket) {
    core::AppendJsonString(out, api::ToString(*r.bucket));
  } else {
    out += "null";
  }
  out += ",\"source\":";
  core::AppendJsonString(out, AggregateOf(r.source));
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
