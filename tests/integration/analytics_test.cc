// The analytics and health objects of timescaledb_enhancements.sql on data built so that the
// answer is known: detect_anomalies(), generate_alerts() (de-duplicated), calculate_job_metrics(),
// job_health_summary, slow_queries, compression_status, and the monitor report and maintenance
// steps behind `dataplane db monitor|maintain`.
#include <thread>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "commands/maintenance_summary_output.h"
#include "commands/monitor_report_text.h"
#include "harness.h"
#include "pg/db_monitor.h"
#include "pg/maintenance.h"
#include "pg/migrations.h"

namespace dataplane::testing {
namespace {
namespace json = boost::json;

// Inserts finished jobs straight into the job table: `count` jobs of (site, app) that finished
// `minutes_ago` minutes ago, each `duration_s` long, `failed` of them failed. Their days'
// partitions are made first: only the writer makes a past day's on demand (schema.sql makes
// today's and tomorrow's), and "hours ago" is yesterday just after midnight UTC.
void InsertFinishedJobs(pg::Connection& db, const std::string& site, const std::string& app,
                        int count, double minutes_ago, double duration_s, int failed = 0,
                        double duration_step = 0) {
  const double oldest_anchor_s = minutes_ago * 60 + count + duration_s + 10 * duration_step;
  db.Exec(
      "SELECT ensure_partitions(((now() - make_interval(secs => $1::float8)) AT TIME ZONE "
      "'UTC')::date, (now() AT TIME ZONE 'UTC')::date)",
      {std::to_string(oldest_anchor_s + 1)});
  db.Exec(
      "INSERT INTO job (job_id, anchor_at, site_id, app_id, app_name, status, last_event_kind, "
      "last_event_at, started_at, finished_at, duration_s, cpu_user_s, mem_max_mb) "
      "SELECT gen_random_uuid(), t - make_interval(secs => d), $1, $2::uuid, 'app-' || "
      "left($2::text, 4), CASE WHEN g <= $6::int THEN 'failed' ELSE 'succeeded' END, 'finished', "
      "t, "
      "t - make_interval(secs => d), t, d, 1, 64 "
      "FROM generate_series(1, $3::int) g, "
      "LATERAL (SELECT now() - make_interval(secs => $4::float8 * 60 + g) AS t, "
      "                $5::float8 + (g % 10) * $7::float8 AS d) x",
      {site, app, std::to_string(count), std::to_string(minutes_ago), std::to_string(duration_s),
       std::to_string(failed), std::to_string(duration_step)});
}

std::string Site() { return "an-" + NewUuid().substr(0, 8); }

TEST(Analytics, DetectAnomaliesFindsTheSlowJobAndTheFailureSpikeOnly) {
  auto db = Harness::Get().Db();
  const std::string site = Site(), steady = NewUuid(), flaky = NewUuid();
  // steady app: a baseline of 40 jobs of 100..109 s in the day before the window, then 10
  // normal jobs and one of 500 s in the window.
  InsertFinishedJobs(*db, site, steady, 40, 180, 100, 0, 1);
  InsertFinishedJobs(*db, site, steady, 10, 20, 100, 0, 1);
  InsertFinishedJobs(*db, site, steady, 1, 10, 500);
  // flaky app: 1 of 20 failed in the window before, 12 of 20 in this one; constant durations.
  InsertFinishedJobs(*db, site, flaky, 20, 90, 60, 1);
  InsertFinishedJobs(*db, site, flaky, 20, 30, 60, 12);

  pg::PgResult r = db->Exec(
      "SELECT anomaly, app_id::text, observed, baseline, score, job_id IS NULL "
      "FROM detect_anomalies(interval '1 hour', 3.5) WHERE site_id = $1 ORDER BY anomaly",
      {site});
  ASSERT_EQ(r.Rows(), 2);
  EXPECT_EQ(r.Text(0, 0), "duration_outlier");
  EXPECT_EQ(r.Text(0, 1), steady);
  EXPECT_DOUBLE_EQ(r.Double(0, 2), 500);
  EXPECT_DOUBLE_EQ(r.Double(0, 3), 104.5);  // median of 100..109, four times each
  EXPECT_GT(r.Double(0, 4), 3.5);
  EXPECT_FALSE(r.Bool(0, 5));
  EXPECT_EQ(r.Text(1, 0), "failure_rate_spike");
  EXPECT_EQ(r.Text(1, 1), flaky);
  EXPECT_DOUBLE_EQ(r.Double(1, 2), 0.6);
  EXPECT_DOUBLE_EQ(r.Double(1, 3), 0.05);
  // (0.6 - 0.05) / sqrt(0.325 * 0.675 * (1/20 + 1/20))
  EXPECT_NEAR(r.Double(1, 4), 3.7134, 1e-3);
  EXPECT_TRUE(r.Bool(1, 5));

  // A threshold above both scores (the outlier scores 0.6745 * 395.5 / 2.5 = 106.7) hides both.
  EXPECT_EQ(db->Exec("SELECT count(*) FROM detect_anomalies(interval '1 hour', 200) "
                     "WHERE site_id = $1",
                     {site})
                .Int64(0, 0),
            0);
}

TEST(Analytics, GenerateAlertsWritesEachConditionOnce) {
  auto db = Harness::Get().Db();
  const std::string site = Site(), steady = NewUuid(), flaky = NewUuid();
  InsertFinishedJobs(*db, site, steady, 40, 180, 100, 0, 1);
  InsertFinishedJobs(*db, site, steady, 1, 10, 500);
  InsertFinishedJobs(*db, site, flaky, 20, 90, 60, 1);
  InsertFinishedJobs(*db, site, flaky, 20, 30, 60, 12);

  const std::string new_alerts =
      "SELECT kind, severity, app_id::text, message FROM generate_alerts() WHERE site_id = $1 "
      "ORDER BY kind";
  pg::PgResult first = db->Exec(new_alerts, {site});
  ASSERT_EQ(first.Rows(), 3);
  EXPECT_EQ(first.Text(0, 0), "duration_outlier");
  EXPECT_EQ(first.Text(0, 1), "critical");  // score far beyond twice the threshold
  EXPECT_EQ(first.Text(0, 2), steady);
  EXPECT_NE(first.Text(0, 3).find("took 500.0 s"), std::string_view::npos) << first.Text(0, 3);
  EXPECT_EQ(first.Text(1, 0), "failure_rate_high");  // 12 of 20 >= 50 %
  EXPECT_EQ(first.Text(1, 1), "critical");
  EXPECT_EQ(first.Text(2, 0), "failure_rate_spike");
  EXPECT_EQ(first.Text(2, 2), flaky);
  EXPECT_NE(first.Text(2, 3).find("rose to 60.0% from 5.0%"), std::string_view::npos);

  EXPECT_EQ(db->Exec(new_alerts, {site}).Rows(), 0);  // nothing new the second time
  EXPECT_EQ(db->Exec("SELECT count(*) FROM alert WHERE site_id = $1", {site}).Int64(0, 0), 3);
}

TEST(Analytics, CalculateJobMetricsAndHealthSummaryCountKnownJobs) {
  auto db = Harness::Get().Db();
  const std::string site = Site(), app = NewUuid();
  InsertFinishedJobs(*db, site, app, 10, 30, 100, 2, 10);  // durations 100..190, ends 30 min ago
  pg::PgResult m = db->Exec(
      "SELECT total_jobs, succeeded, failed, success_rate, duration_avg_s, duration_p50_s, "
      "duration_max_s, cpu_avg_s, mem_max_mb "
      "FROM calculate_job_metrics($1, now() - interval '1 day', now())",
      {site});
  ASSERT_EQ(m.Rows(), 1);
  EXPECT_EQ(m.Int64(0, 0), 10);
  EXPECT_EQ(m.Int64(0, 1), 8);
  EXPECT_EQ(m.Int64(0, 2), 2);
  EXPECT_DOUBLE_EQ(m.Double(0, 3), 0.8);
  EXPECT_DOUBLE_EQ(m.Double(0, 4), 145);
  EXPECT_DOUBLE_EQ(m.Double(0, 5), 145);
  EXPECT_DOUBLE_EQ(m.Double(0, 6), 190);
  EXPECT_DOUBLE_EQ(m.Double(0, 7), 1);
  EXPECT_DOUBLE_EQ(m.Double(0, 8), 64);

  pg::PgResult h = db->Exec(
      "SELECT time_window, succeeded, failed, running, success_rate FROM job_health_summary "
      "WHERE site_id = $1 ORDER BY time_window",
      {site});
  ASSERT_EQ(h.Rows(), 2);
  EXPECT_EQ(h.Text(0, 0), "1 day");
  EXPECT_EQ(h.Text(1, 0), "1 hour");
  for (int row = 0; row < 2; ++row) {
    EXPECT_EQ(h.Int64(row, 1), 8);
    EXPECT_EQ(h.Int64(row, 2), 2);
    EXPECT_EQ(h.Int64(row, 3), 0);
    EXPECT_DOUBLE_EQ(h.Double(row, 4), 0.8);
  }
}

TEST(Analytics, SlowQueriesShowsALongStatementFromPgStatActivity) {
  std::thread sleeper([] { Harness::Get().Db()->Exec("SELECT pg_sleep(1.5) /* slow-probe */"); });
  auto db = Harness::Get().Db();
  bool seen = false;
  for (int attempt = 0; attempt < 20 && !seen; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    pg::PgResult r =
        db->Exec("SELECT source, running_for_ms FROM slow_queries WHERE query LIKE '%slow-probe%'");
    if (r.Rows() == 1) {
      EXPECT_EQ(r.Text(0, 0), "pg_stat_activity");  // the test cluster has no pg_stat_statements
      EXPECT_GE(r.Double(0, 1), 100);
      seen = true;
    }
  }
  sleeper.join();
  EXPECT_TRUE(seen);
}

// Plain PostgreSQL: the daily partitions made ahead, never compressed. TimescaleDB: a chunk per
// day that has rows (one job with a subjob now makes sure of today's); their compression is
// TimescaleDb.CompressedChunksAnswerTheSameAndTakeLateEvents's.
TEST(Analytics, CompressionStatusListsEveryPartition) {
  const std::string job = NewUuid();
  auto client = Harness::Get().Client();
  for (const EventSpec& spec :
       {EventSpec{.id = job}, EventSpec{.type = "subjob", .id = NewUuid(), .parent = job}}) {
    auto reply = client.Post("/v1/event", MakeEvent(spec));
    ASSERT_TRUE(reply.ok());
    ASSERT_EQ(reply->status, 200) << reply->body;
  }
  auto db = Harness::Get().Db();
  pg::PgResult r = db->Exec(
      "SELECT table_name, count(*), bool_or(compressed), min(range_end - range_start), "
      "max(range_end - range_start), bool_and(total_bytes > 0) "
      "FROM compression_status GROUP BY 1 ORDER BY 1");
  ASSERT_EQ(r.Rows(), 3);
  for (int row = 0; row < 3; ++row) {
    EXPECT_EQ(r.Text(row, 0), std::vector<std::string>({"event", "job", "subjob"})[row]);
    EXPECT_GE(r.Int64(row, 1), OnTimescaleDb() ? 1 : 2);  // at least today's and tomorrow's
    if (!OnTimescaleDb()) {
      EXPECT_FALSE(r.Bool(row, 2));
    }
    EXPECT_EQ(r.Text(row, 3), "1 day");
    EXPECT_EQ(r.Text(row, 4), "1 day");
    EXPECT_TRUE(r.Bool(row, 5));
  }
}

TEST(Analytics, MonitorReportIsJsonWithEverySectionAndRendersAsText) {
  auto db = Harness::Get().Db();
  const std::string report = pg::FetchMonitorReport(*db, std::chrono::hours(72));
  const json::object o = json::parse(report).as_object();
  for (const char* key :
       {"generated_at", "database", "tables", "aggregates", "pending_invalidations", "compression",
        "slow_queries", "replication", "archive_backlog"}) {
    EXPECT_TRUE(o.contains(key)) << key;
  }
  EXPECT_EQ(o.at("aggregates").as_array().size(), 4u);
  EXPECT_EQ(o.at("database").at("schema_version").as_int64(), pg::kRequiredSchemaVersion);
  bool event_listed = false;
  for (const json::value& t : o.at("tables").as_array()) {
    if (t.at("table").as_string() == "event") {
      event_listed = true;
      EXPECT_GE(t.at("partitions").as_int64(), OnTimescaleDb() ? 1 : 2);
    }
  }
  EXPECT_TRUE(event_listed);
  auto text = commands::RenderMonitorReport(report);
  ASSERT_TRUE(text.ok());
  for (const char* section : {"tables\n", "aggregates\n", "compression\n", "slow queries\n",
                              "replication\n", "archive backlog\n"}) {
    EXPECT_NE(text->find(section), std::string::npos) << section;
  }
  EXPECT_FALSE(commands::RenderMonitorReport("{\"tables\":1}").ok());
}

TEST(Analytics, MaintenanceRunsEveryStep) {
  auto db = Harness::Get().Db();
  pg::MaintenanceSummary s;
  for (int attempt = 0; attempt < 50 && s.refreshed.empty(); ++attempt) {
    s = pg::RunAllMaintenance(*db);  // empty refresh: the scheduler's refresh held the lock
  }
  EXPECT_EQ(s.refreshed.size(), 4u);
  const json::object o = json::parse(commands::MaintenanceSummaryJson(s)).as_object();
  EXPECT_EQ(o.at("refreshed").as_array().size(), 4u);
  EXPECT_TRUE(o.contains("analyzed"));
}

}  // namespace
}  // namespace dataplane::testing
