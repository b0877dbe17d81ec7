// The job statistics (job_hourly/daily/weekly/monthly_stats), rollup tables on plain PostgreSQL
// and continuous aggregates on TimescaleDB: after any order of ingest, late arrivals included,
// a refresh leaves every level equal to the same statistics computed from the raw job rows; a
// refresh rewrites only the buckets whose jobs changed; retention drops only old buckets.
#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "core/time.h"
#include "harness.h"
#include "http/client.h"
#include "job_stats_events.h"
#include "pg/embedded_sql.h"
#include "pg/migrations.h"

namespace dataplane::testing {
namespace {
namespace json = boost::json;

constexpr const char* kLevels[][2] = {{"job_hourly_stats", "hour"},
                                      {"job_daily_stats", "day"},
                                      {"job_weekly_stats", "week"},
                                      {"job_monthly_stats", "month"}};

// Jobs of one site spread over the last `span_hours`: started, then (for most) finished with
// a status and metrics; some without a duration metric (then finished - started counts), some
// without cpu or memory. Returns the events in a shuffled order.
std::vector<StatsEvent> GenerateJobs(const std::string& site, int jobs, double span_hours,
                                     std::mt19937& rng) {
  std::uniform_real_distribution<double> hours(0.2, span_hours);
  std::lognormal_distribution<double> duration(5.0, 1.0);
  std::uniform_int_distribution<int> pick(0, 99);
  std::vector<StatsEvent> out;
  for (int i = 0; i < jobs; ++i) {
    const std::string job = NewUuid();
    const int app = pick(rng) % 3;
    const core::Micros start = HoursAgo(hours(rng));
    out.push_back({.site = site, .job = job, .app = app, .at = start});
    const int fate = pick(rng);
    if (fate < 10) continue;  // still running
    const double d = duration(rng);
    StatsEvent end{.site = site,
                   .job = job,
                   .app = app,
                   .kind = fate < 20 ? "canceled" : "finished",
                   .status = fate < 20 ? "" : (fate < 35 ? "failed" : "succeeded"),
                   .at = std::min(start + static_cast<core::Micros>(d * 1e6), core::NowMicros())};
    if (fate % 4 != 0) end.duration_s = d;
    if (fate % 5 != 0) end.cpu_user_s = d * 0.4, end.cpu_system_s = d * 0.05;
    if (fate % 6 != 0) end.mem_max_mb = 256 + pick(rng) * 17.5;
    out.push_back(end);
  }
  std::shuffle(out.begin(), out.end(), rng);
  return out;
}

// The statistics of one level for one site, computed here from the raw job rows (written
// independently of job_stats_query() in timescaledb_enhancements.sql).
std::string RawStatsSql(const std::string& unit, const std::string& site) {
  return R"(
    WITH j AS (
      SELECT date_trunc(')" +
         unit + R"(', anchor_at, 'UTC') AS bucket, site_id, app_id, status,
             coalesce(duration_s, extract(epoch FROM finished_at - started_at)) AS d,
             CASE WHEN cpu_user_s IS NULL AND cpu_system_s IS NULL THEN NULL
                  ELSE coalesce(cpu_user_s, 0) + coalesce(cpu_system_s, 0) END AS cpu,
             mem_max_mb AS mem
      FROM job WHERE site_id = ')" +
         site + R"(')
    SELECT bucket, app_id, status, count(*), count(*) FILTER (WHERE status = 'succeeded'),
           count(*) FILTER (WHERE status = 'failed'), count(*) FILTER (WHERE status = 'canceled'),
           (count(*) FILTER (WHERE status = 'succeeded'))::float8
             / nullif(count(*) FILTER (WHERE status <> 'running'), 0),
           count(d), avg(d), min(d), max(d),
           duration_histogram_percentile(duration_histogram(d), 0.5),
           duration_histogram_percentile(duration_histogram(d), 0.95),
           avg(cpu), avg(mem), max(mem)
    FROM j GROUP BY 1, 2, 3 ORDER BY 1, 2, 3)";
}

std::string StoredStatsSql(const std::string& table, const std::string& site) {
  return "SELECT bucket, app_id, status, job_count, succeeded_count, failed_count, "
         "canceled_count, success_rate, duration_count, duration_avg, duration_min, duration_max, "
         "duration_p50, duration_p95, cpu_avg, mem_avg, mem_max FROM " +
         table + " WHERE site_id = '" + site + "' ORDER BY 1, 2, 3";
}

bool SameValue(const pg::PgResult& a, const pg::PgResult& b, int row, int col) {
  if (a.IsNull(row, col) || b.IsNull(row, col)) return a.IsNull(row, col) == b.IsNull(row, col);
  if (col < 3) return a.Text(row, col) == b.Text(row, col);
  const double x = a.Double(row, col), y = b.Double(row, col);
  return std::abs(x - y) <= 1e-9 * std::max(1.0, std::abs(y));
}

void ExpectStatsEqualRaw(const std::string& site) {
  auto db = Harness::Get().Db();
  for (const auto& [table, unit] : kLevels) {
    pg::PgResult stored = db->Exec(StoredStatsSql(table, site));
    pg::PgResult raw = db->Exec(RawStatsSql(unit, site));
    ASSERT_EQ(stored.Rows(), raw.Rows()) << table;
    ASSERT_GT(stored.Rows(), 0) << table;
    for (int row = 0; row < raw.Rows(); ++row) {
      for (int col = 0; col < 17; ++col) {
        ASSERT_TRUE(SameValue(stored, raw, row, col))
            << table << " bucket " << raw.Text(row, 0) << " status " << raw.Text(row, 2)
            << " column " << col << ": stored "
            << (stored.IsNull(row, col) ? "NULL" : std::string(stored.Text(row, col))) << ", raw "
            << (raw.IsNull(row, col) ? "NULL" : std::string(raw.Text(row, col)));
      }
    }
  }
}

std::string UniqueSite(const std::string& prefix) { return prefix + "-" + NewUuid().substr(0, 8); }

TEST(JobStats, EveryLevelEqualsRawRecomputationAfterShuffledAndLateArrivals) {
  std::mt19937 rng(20261129);
  const std::string site = UniqueSite("stats");
  std::vector<StatsEvent> events = GenerateJobs(site, 2500, 60, rng);
  // Late arrivals: a quarter of the events (ends of jobs, and starts of jobs whose end already
  // came) are held back and sent after a first refresh.
  const std::size_t held = events.size() / 4;
  std::vector<StatsEvent> late(events.end() - static_cast<std::ptrdiff_t>(held), events.end());
  events.resize(events.size() - held);
  PostAll(events);
  Refresh();
  ExpectStatsEqualRaw(site);

  PostAll(late);
  // More late news: some running jobs fail now, and stale events older than a job's state.
  auto db = Harness::Get().Db();
  pg::PgResult running = db->Exec(
      "SELECT job_id, app_id FROM job WHERE site_id = $1 AND status = 'running' LIMIT 40", {site});
  std::vector<StatsEvent> news;
  for (int r = 0; r < running.Rows(); ++r) {
    const std::string app(running.Text(r, 1));
    const int app_index = static_cast<int>(
        std::find(std::begin(kStatsApps), std::end(kStatsApps), app) - std::begin(kStatsApps));
    news.push_back({.site = site,
                    .job = std::string(running.Text(r, 0)),
                    .app = app_index,
                    .kind = "error",
                    .at = core::NowMicros() - 1000000,
                    .duration_s = 42.0 + r});
  }
  PostAll(news);
  Refresh();
  ExpectStatsEqualRaw(site);
}

TEST(JobStats, KnownJobsGiveKnownCountsRatesAndPercentiles) {
  const std::string site = UniqueSite("known");
  const core::Micros hour_start =
      (HoursAgo(5) / (3600 * core::kMicrosPerSecond)) * (3600 * core::kMicrosPerSecond);
  std::vector<StatsEvent> events;
  for (int i = 1; i <= 100; ++i) {  // durations 1..100 s: 80 succeeded, 15 failed, 5 canceled
    const std::string job = NewUuid();
    const core::Micros at = hour_start + i * 10 * core::kMicrosPerSecond;
    events.push_back({.site = site, .job = job, .at = at});
    events.push_back({.site = site,
                      .job = job,
                      .kind = i <= 5 ? "canceled" : "finished",
                      .status = i <= 5 ? "" : (i <= 20 ? "failed" : "succeeded"),
                      .at = at + i * core::kMicrosPerSecond,
                      .duration_s = static_cast<double>(i),
                      .cpu_user_s = 2.0,
                      .cpu_system_s = 1.0,
                      .mem_max_mb = 100.0 * (i % 10 + 1)});
  }
  PostAll(events);
  Refresh();
  auto db = Harness::Get().Db();
  pg::PgResult r = db->Exec(
      "SELECT sum(job_count), sum(succeeded_count), sum(failed_count), sum(canceled_count), "
      "sum(succeeded_count)::float8 / sum(succeeded_count + failed_count + canceled_count), "
      "sum(duration_sum) / sum(duration_count), min(duration_min), max(duration_max), "
      "duration_histogram_percentile(duration_histogram_merge(duration_hist), 0.5), "
      "duration_histogram_percentile(duration_histogram_merge(duration_hist), 0.95), "
      "sum(cpu_sum) / sum(cpu_count), max(mem_max), count(DISTINCT bucket) "
      "FROM job_hourly_stats WHERE site_id = $1",
      {site});
  EXPECT_EQ(r.Int64(0, 0), 100);
  EXPECT_EQ(r.Int64(0, 1), 80);
  EXPECT_EQ(r.Int64(0, 2), 15);
  EXPECT_EQ(r.Int64(0, 3), 5);
  EXPECT_DOUBLE_EQ(r.Double(0, 4), 0.8);
  EXPECT_DOUBLE_EQ(r.Double(0, 5), 50.5);
  EXPECT_DOUBLE_EQ(r.Double(0, 6), 1);
  EXPECT_DOUBLE_EQ(r.Double(0, 7), 100);
  EXPECT_NEAR(r.Double(0, 8), 50.5, 50.5 * 0.025);    // exact: percentile_cont = 50.5
  EXPECT_NEAR(r.Double(0, 9), 95.05, 95.05 * 0.025);  // exact: 95.05
  EXPECT_DOUBLE_EQ(r.Double(0, 10), 3.0);
  EXPECT_DOUBLE_EQ(r.Double(0, 11), 1000);
  EXPECT_EQ(r.Int64(0, 12), 1);
  // Per status row: the failed row holds durations 6..20.
  pg::PgResult failed = db->Exec(
      "SELECT job_count, success_rate, duration_min, duration_max FROM job_daily_stats "
      "WHERE site_id = $1 AND status = 'failed'",
      {site});
  ASSERT_EQ(failed.Rows(), 1);
  EXPECT_EQ(failed.Int64(0, 0), 15);
  EXPECT_DOUBLE_EQ(failed.Double(0, 1), 0);
  EXPECT_DOUBLE_EQ(failed.Double(0, 2), 6);
  EXPECT_DOUBLE_EQ(failed.Double(0, 3), 20);
}

TEST(JobStats, HistogramPercentilesStayWithinTwoAndAHalfPercentOfExact) {
  auto db = Harness::Get().Db();
  pg::PgResult r = db->Exec(R"(
    WITH v AS (SELECT exp(random() * 12 - 3) AS d FROM generate_series(1, 20000)),
    q AS (SELECT p FROM unnest(ARRAY[0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99]) p)
    SELECT max(abs(duration_histogram_percentile(h, p) / exact - 1))
    FROM (SELECT duration_histogram(d) AS h FROM v) hist, q,
         LATERAL (SELECT percentile_cont(q.p) WITHIN GROUP (ORDER BY d) AS exact FROM v) e)");
  EXPECT_LT(r.Double(0, 0), 0.025);
}

// Where an aggregate's rows are stored: the rollup table itself on plain PostgreSQL, the
// continuous aggregate's materialization hypertable on TimescaleDB (the view has no xmin).
std::string MaterializedTable(pg::Connection& db, const std::string& aggregate) {
  if (!OnTimescaleDb()) return aggregate;
  return std::string(
      db.Exec("SELECT format('%I.%I', materialization_hypertable_schema, "
              "materialization_hypertable_name) FROM timescaledb_information.continuous_aggregates "
              "WHERE view_name = $1",
              {aggregate})
          .Text(0, 0));
}

TEST(JobStats, RefreshRewritesOnlyTheBucketsWhoseJobsChanged) {
  const std::string site = UniqueSite("incr");
  std::vector<StatsEvent> events;
  std::vector<std::string> jobs;
  for (int h = 0; h < 30; ++h) {  // one job per hour over 30 hours: two or three days
    jobs.push_back(NewUuid());
    events.push_back({.site = site, .job = jobs.back(), .at = HoursAgo(h + 0.5)});
  }
  PostAll(events);
  Refresh();
  auto db = Harness::Get().Db();
  const std::string versions =
      "SELECT bucket::text || '/' || xmin::text FROM {T} WHERE site_id = $1 ORDER BY bucket";
  auto snapshot = [&](const std::string& aggregate) {
    std::string sql = versions;
    sql.replace(sql.find("{T}"), 3, MaterializedTable(*db, aggregate));
    pg::PgResult r = db->Exec(sql, {site});
    std::map<std::string, std::string> out;
    for (int i = 0; i < r.Rows(); ++i) {
      std::string text(r.Text(i, 0));
      out[text.substr(0, text.find('/'))] = text.substr(text.find('/') + 1);
    }
    return out;
  };
  const auto hourly_before = snapshot("job_hourly_stats");
  const auto daily_before = snapshot("job_daily_stats");
  ASSERT_EQ(hourly_before.size(), 30u);

  // The job started 20.5 hours ago finishes now: only its hour (and day, week, month) change.
  PostAll({{.site = site,
            .job = jobs[20],
            .kind = "finished",
            .status = "succeeded",
            .at = core::NowMicros() - 1000000,
            .duration_s = 7}});
  Refresh();
  const std::string changed_hour =
      db->Exec("SELECT date_trunc('hour', anchor_at, 'UTC')::text FROM job WHERE job_id = $1",
               {jobs[20]})
          .Text(0, 0)
          .data();
  const std::string changed_day =
      db->Exec("SELECT date_trunc('day', anchor_at, 'UTC')::text FROM job WHERE job_id = $1",
               {jobs[20]})
          .Text(0, 0)
          .data();
  const auto hourly_after = snapshot("job_hourly_stats");
  ASSERT_EQ(hourly_after.size(), 30u);
  for (const auto& [bucket, version] : hourly_before) {
    if (bucket == changed_hour) {
      EXPECT_NE(hourly_after.at(bucket), version) << bucket;
    } else {
      EXPECT_EQ(hourly_after.at(bucket), version) << bucket;
    }
  }
  for (const auto& [bucket, version] : snapshot("job_daily_stats")) {
    if (bucket == changed_day) {
      EXPECT_NE(daily_before.at(bucket), version) << bucket;
    } else {
      EXPECT_EQ(daily_before.at(bucket), version) << bucket;
    }
  }
}

TEST(JobStats, LateNewsOlderThanTheRefreshWindowLeavesTheStatisticsAlone) {
  const std::string site = UniqueSite("window");
  const std::string job = NewUuid();
  PostAll({{.site = site, .job = job, .at = HoursAgo(24 * 5)}});  // window: 3 days
  Refresh();
  auto db = Harness::Get().Db();
  EXPECT_EQ(
      db->Exec("SELECT count(*) FROM job_hourly_stats WHERE site_id = $1", {site}).Int64(0, 0), 0);
  EXPECT_EQ(db->Exec("SELECT count(*) FROM job WHERE site_id = $1", {site}).Int64(0, 0), 1);
}

TEST(JobStats, RetentionDropsOnlyBucketsOlderThanKeep) {
  if (OnTimescaleDb())
    GTEST_SKIP() << "rollup tables are plain PostgreSQL's; see "
                    "TimescaleDb.RetentionPoliciesDropOnlyBucketsOlderThanKeep";
  const std::string site = UniqueSite("keep");
  auto db = Harness::Get().Db();
  for (const auto& [table, unit] : kLevels) {
    // One bucket entirely older than 90 days, one recent bucket.
    db->Exec(std::string("INSERT INTO ") + table +
                 " (bucket, site_id, app_id, status, job_count) VALUES "
                 "(date_trunc($2, now() - interval '200 days', 'UTC'), $1, $3, 'succeeded', 1), "
                 "(date_trunc($2, now() - interval '10 days', 'UTC'), $1, $3, 'succeeded', 1)",
             {site, unit, kStatsApps[0]});
  }
  EXPECT_GE(db->Exec("SELECT apply_job_stats_retention()").Int64(0, 0), 4);
  for (const auto& [table, unit] : kLevels) {
    pg::PgResult r = db->Exec(std::string("SELECT count(*), min(bucket) > now() - interval "
                                          "'40 days' FROM ") +
                                  table + " WHERE site_id = $1",
                              {site});
    EXPECT_EQ(r.Int64(0, 0), 1) << table;
    EXPECT_TRUE(r.Bool(0, 1)) << table;
  }
}

// A database that has jobs before the statistics exist (an upgrade from schema version 1, whose
// files had no aggregates) gets them filled when timescaledb_enhancements.sql creates them.
TEST(JobStats, AggregatesCreatedOnADatabaseWithJobsStartFilled) {
  Harness::Get().RecreateDatabase("it_backfill");
  auto conn = pg::Connection::Open({Harness::Get().UrlOf("it_backfill")});
  ASSERT_TRUE(conn.ok());
  pg::Connection& db = **conn;
  pg::Migrate(db);
  db.Exec("SELECT ensure_partitions(current_date - 15, current_date)");  // rows up to 350 h old
  db.Exec(
      "INSERT INTO job (job_id, anchor_at, site_id, app_id, app_name, status, last_event_kind, "
      "last_event_at, duration_s) SELECT gen_random_uuid(), now() - g * interval '7 hours', "
      "'fab1', gen_random_uuid(), 'app', 'succeeded', 'finished', now(), g "
      "FROM generate_series(1, 50) g");
  db.Exec(std::string("DROP ") + (OnTimescaleDb() ? "MATERIALIZED VIEW" : "TABLE") +
          " job_monthly_stats, job_weekly_stats, job_daily_stats, job_hourly_stats CASCADE");
  for (const pg::SqlFile& file : pg::EmbeddedSqlFiles()) {
    if (file.name == std::string_view("timescaledb_enhancements.sql")) db.Exec(file.text);
  }
  for (const auto& [table, unit] : kLevels) {
    EXPECT_EQ(db.Exec(std::string("SELECT sum(job_count) FROM ") + table).Int64(0, 0), 50) << table;
  }
}

TEST(JobStats, TheLocalApiRefreshesOnItsOwn) {
  local_api::LocalApiConfig config = Harness::Get().ApiConfig();
  config.stats_refresh_interval_s = 1;
  TestApi api(config);
  ASSERT_TRUE(api.Start().ok());
  const std::string site = UniqueSite("sched");
  PostAll({{.site = site, .job = NewUuid(), .at = HoursAgo(2)}});
  auto db = Harness::Get().Db();
  // The refresh ran when the scheduler counted it; the job is in the daily statistics then (on
  // TimescaleDB real-time aggregation may show it sooner, the refresh materializes it).
  http::HttpClient client("127.0.0.1", api.port());
  const std::string refreshed =
      "dataplane_maintenance_runs_total{service=\"local_api\",task=\"job_stats_refresh\","
      "result=\"ok\"}";
  bool counted = false;
  for (int attempt = 0; attempt < 100 && !counted; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto metrics = client.Get("/metrics");
    ASSERT_TRUE(metrics.ok());
    counted = metrics->body.find(refreshed) != std::string::npos;
  }
  EXPECT_TRUE(counted);
  const std::string materialized = MaterializedTable(*db, "job_daily_stats");
  std::int64_t rows = 0;
  for (int attempt = 0; attempt < 50 && rows == 0; ++attempt) {
    rows = db->Exec("SELECT count(*) FROM " + materialized + " WHERE site_id = $1", {site})
               .Int64(0, 0);
    if (rows == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(rows, 1) << "stored in " << materialized << ", not only computed at query time";
  EXPECT_EQ(db->Exec("SELECT count(*) FROM job_daily_stats WHERE site_id = $1", {site}).Int64(0, 0),
            1);
  api.Stop();
}

}  // namespace
}  // namespace dataplane::testing
