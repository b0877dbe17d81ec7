#include "local_api/stats_query.h"

#include <array>
#include <utility>

#include "api/duration_histogram.h"
#include "local_api/row_writer.h"
#include "pg/sql_builder.h"

namespace dataplane::local_api {
namespace {

using api::StatsRequest;

// The aggregate of each bucket size (by api::StatsBucket).
constexpr std::array<const char*, 4> kAggregates = {"job_hourly_stats", "job_daily_stats",
                                                    "job_weekly_stats", "job_monthly_stats"};

const char* AggregateOf(api::StatsBucket bucket) {
  return kAggregates[static_cast<std::size_t>(bucket)];
}

// The columns of the query: the five dimensions (NULL when not grouped by), the figures of
// every answer, then those only format=mergeable selects.
// clang-format off
enum Column : int {
  kBucket, kSite, kAppId, kAppName, kStatus,
  kJobCount, kSucceeded, kFailed, kCanceled, kSuccessRate,
  kDurationAvg, kDurationMin, kDurationP50, kDurationP95, kDurationMax,
  kCpuAvg, kMemAvg, kMemMax,
  kDurationCount, kDurationSum, kDurationHistogram, kCpuCount, kCpuSum, kMemCount, kMemSum,
};
// clang-format on

constexpr const char* kFigures =
    "coalesce(sum(job_count), 0)::int8, coalesce(sum(succeeded_count), 0)::int8, "
    "coalesce(sum(failed_count), 0)::int8, coalesce(sum(canceled_count), 0)::int8, "
    "sum(succeeded_count)::float8 / nullif(sum(succeeded_count + failed_count + "
    "canceled_count), 0), "
    "sum(duration_sum) / nullif(sum(duration_count), 0), min(duration_min), "
    "duration_histogram_percentile(duration_histogram_merge(duration_hist), 0.5), "
    "duration_histogram_percentile(duration_histogram_merge(duration_hist), 0.95), "
    "max(duration_max), sum(cpu_sum) / nullif(sum(cpu_count), 0), "
    "sum(mem_sum) / nullif(sum(mem_count), 0), max(mem_max)";

// The merged histogram comes in DurationHistogram's JSON form, NULL without durations.
// PostgreSQL computes equal aggregate calls once: the histogram is merged once per item.
constexpr const char* kMergeFigures =
    "coalesce(sum(duration_count), 0)::int8, coalesce(sum(duration_sum), 0), "
    "'{\"first_bin\":' || array_lower(duration_histogram_merge(duration_hist), 1) || "
    "',\"counts\":' || array_to_json(duration_histogram_merge(duration_hist)) || '}', "
    "coalesce(sum(cpu_count), 0)::int8, coalesce(sum(cpu_sum), 0), "
    "coalesce(sum(mem_count), 0)::int8, coalesce(sum(mem_sum), 0)";

bool Mergeable(const StatsRequest& r) { return r.format == api::StatsFormat::kMergeable; }

std::string DimensionColumns(const StatsRequest& r) {
  return std::string(r.bucket ? "(extract(epoch FROM bucket) * 1000000)::int8" : "NULL::int8") +
         ", " + (r.by_site ? "site_id" : "NULL") + ", " +
         (r.by_app ? "app_id::text, max(app_name)" : "NULL, NULL") + ", " +
         (r.by_status ? "status" : "NULL");
}

// "bucket, site_id, …": the columns grouped by; empty for totals over everything.
std::string GroupedColumns(const StatsRequest& r) {
  std::string columns;
  for (auto [on, column] : {std::pair{r.bucket.has_value(), "bucket"},
                            {r.by_site, "site_id"},
                            {r.by_app, "app_id"},
                            {r.by_status, "status"}}) {
    if (on) columns += (columns.empty() ? "" : ", ") + std::string(column);
  }
  return columns;
}

pg::SqlBuilder Conditions(const StatsRequest& r) {
  pg::SqlBuilder q;
  q.Add("bucket >= $?::timestamptz", {core::FormatPgTimestamp(r.from)});
  q.Add("bucket < $?::timestamptz", {core::FormatPgTimestamp(r.to)});
  if (r.site_id) q.Add("site_id = $?", {*r.site_id});
  if (!r.statuses.empty()) q.AddOneOf("status", r.statuses);
  if (r.app_name) q.AddContainsIgnoringCase("app_name", *r.app_name);
  return q;
}

std::string SelectSql(const StatsRequest& r, const pg::SqlBuilder& q) {
  std::string sql = "SELECT " + DimensionColumns(r) + ", " + kFigures;
  if (Mergeable(r)) sql += std::string(", ") + kMergeFigures;
  sql += std::string(" FROM ") + AggregateOf(r.source) + q.Where();
  const std::string grouped = GroupedColumns(r);
  if (!grouped.empty()) sql += " GROUP BY " + grouped + " ORDER BY " + grouped;
  return sql + " LIMIT " + std::to_string(kMaxStatsItems + 1);
}

void AppendGroupBy(std::string& out, const StatsRequest& r) {
  out += '[';
  for (auto [on, name] :
       {std::pair{r.by_site, "site"}, {r.by_app, "app"}, {r.by_status, "status"}}) {
    if (!on) continue;
    if (out.back() != '[') out += ',';
    core::AppendJsonString(out, name);
  }
  out += ']';
}

// Every member of the answer before "items".
void AppendHeader(std::string& out, const StatsRequest& r, const pg::PgResult& refreshed) {
  out += "{\"from\":";
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
  out += ",\"group_by\":";
  AppendGroupBy(out, r);
  out += ",\"refreshed_at\":";
  if (refreshed.Rows() == 1) {
    core::AppendJsonString(out, core::FormatRfc3339(refreshed.Int64(0, 0)));
  } else {
    out += "null";
  }
  if (Mergeable(r)) {
    out += ",\"format\":\"mergeable\",\"histogram_bins\":";
    api::DurationHistogram::AppendBinsJson(out);
  }
}

// The row's histogram read and written again by DurationHistogram, so that the answer holds
// exactly the form a client reads back with DurationHistogram::FromJson. A form it refuses is
// our bug (500), not the caller's.
std::string HistogramJson(const pg::PgResult& rows, int row) {
  api::DurationHistogram histogram;
  if (!rows.IsNull(row, kDurationHistogram)) {
    auto parsed = api::DurationHistogram::FromJsonText(rows.Text(row, kDurationHistogram));
    if (!parsed) {
      throw core::Failure({core::ErrorKind::kInternal,
                           "bad_histogram",
                           "duration_hist from the database: " + parsed.error().message,
                           {}});
    }
    histogram = std::move(*parsed);
  }
  std::string out;
  histogram.AppendJson(out);
  return out;
}

void AppendCountAndSum(RowWriter& w, Column count, Column sum) {
  w.Integer("count", count);
  w.Number("sum", sum);
}

void AppendFigures(RowWriter& w, const pg::PgResult& rows, int row, bool mergeable) {
  w.Integer("job_count", kJobCount);
  w.Integer("succeeded_count", kSucceeded);
  w.Integer("failed_count", kFailed);
  w.Integer("canceled_count", kCanceled);
  w.Number("success_rate", kSuccessRate);
  w.Open("duration_s");
  w.Number("avg", kDurationAvg);
  w.Number("min", kDurationMin);
  w.Number("p50", kDurationP50);
  w.Number("p95", kDurationP95);
  w.Number("max", kDurationMax);
  if (mergeable) {
    AppendCountAndSum(w, kDurationCount, kDurationSum);
    w.Member("histogram", HistogramJson(rows, row));
  }
  w.Close();
  w.Open("cpu_s");
  w.Number("avg", kCpuAvg);
  if (mergeable) AppendCountAndSum(w, kCpuCount, kCpuSum);
  w.Close();
  w.Open("mem_mb");
  w.Number("avg", kMemAvg);
  w.Number("max", kMemMax);
  if (mergeable) AppendCountAndSum(w, kMemCount, kMemSum);
  w.Close();
}

void AppendItem(std::string& out, const pg::PgResult& rows, int row, const StatsRequest& r) {
  out += '{';
  RowWriter w(out, rows, row);
  if (r.bucket) w.Time("bucket", kBucket);
  if (r.by_site) w.Text("site_id", kSite);
  if (r.by_app) {
    w.Text("app_id", kAppId);
    w.Text("app_name", kAppName);
  }
  if (r.by_status) w.Text("status", kStatus);
  AppendFigures(w, rows, row, Mergeable(r));
  out += '}';
}

}  // namespace

core::Result<std::string> QueryJobStats(pg::Connection& conn, const StatsRequest& r) {
  const pg::SqlBuilder q = Conditions(r);
  pg::PgResult rows = conn.ExecPrepared(SelectSql(r, q), q.params);
  if (rows.Rows() > kMaxStatsItems) {
    return core::Error::Invalid("too_many_items", "",
                                "the answer would hold more than " +
                                    std::to_string(kMaxStatsItems) +
                                    " items: narrow from/to or take a coarser bucket");
  }
  // Without group_by and without data the aggregate still answers one row of zeros.
  const bool empty_total =
      GroupedColumns(r).empty() && rows.Rows() == 1 && rows.Int64(0, kJobCount) == 0;
  pg::PgResult refreshed = conn.ExecPrepared(
      "SELECT (extract(epoch FROM refreshed_at) * 1000000)::int8 FROM job_stats_refresh "
      "WHERE aggregate = $1",
      {AggregateOf(r.source)});

  std::string out;
  AppendHeader(out, r, refreshed);
  out += ",\"items\":[";
  const int count = empty_total ? 0 : rows.Rows();
  for (int row = 0; row < count; ++row) {
    if (row > 0) out += ',';
    AppendItem(out, rows, row, r);
  }
  out += "],\"count\":";
  core::AppendJsonNumber(out, static_cast<long long>(count));
  out += '}';
  return out;
}

}  // namespace dataplane::local_api
