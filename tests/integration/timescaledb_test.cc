// What only TimescaleDB has, on a real server that preloads it (the `integration_timescaledb`
// run; skipped in the plain PostgreSQL run): the objects the schema's TimescaleDB branch creates,
// the policies doing what they say, and compressed chunks behaving like any other data for the
// API — same answers, late events accepted, duplicates still recognised.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "harness.h"
#include "pg/db_monitor.h"

namespace dataplane::testing {
namespace {
namespace json = boost::json;

#define SKIP_UNLESS_TIMESCALEDB() \
  if (!OnTimescaleDb()) GTEST_SKIP() << "TimescaleDB only: runs in integration_timescaledb"

constexpr const char* kAggregates[] = {"job_hourly_stats", "job_daily_stats", "job_weekly_stats",
                                       "job_monthly_stats"};

// Every aggregate rematerialized from `since` (an SQL expression; NULL: all time) on, lowest
// level first.
void RefreshStatisticsSince(pg::Connection& db, const std::string& since) {
  for (const char* aggregate : kAggregates) {
    db.Exec(std::string("CALL refresh_continuous_aggregate('") + aggregate + "', " + since +
            ", NULL)");
  }
}

// Wider than the policies' windows, so that rows days old are in the statistics too.
void RefreshStatisticsOfTheLastMonths(pg::Connection& db) {
  RefreshStatisticsSince(db, "now() - interval '3 months'");
}

// Runs the policy jobs of `proc` (policy_compression, policy_retention, …) on `hypertables`
// now, as the scheduler would.
void RunPolicies(pg::Connection& db, const std::string& proc,
                 const std::string& hypertable_condition) {
  pg::PgResult jobs = db.Exec(
      "SELECT job_id FROM timescaledb_information.jobs WHERE proc_name = $1 "
      "AND " +
          hypertable_condition,
      {proc});
  ASSERT_GT(jobs.Rows(), 0) << proc;
  for (int i = 0; i < jobs.Rows(); ++i) {
    db.Exec("CALL run_job(" + std::string(jobs.Text(i, 0)) + ")");
  }
}

std::string Get(const std::string& target) {
  auto reply = Harness::Get().Client().Get(target);
  if (!reply.ok()) return "transport error: " + reply.error().message;
  return std::to_string(reply->status) + " " + reply->body;
}

std::string PostEvent(const std::string& body) {
  auto reply = Harness::Get().Client().Post("/v1/event", body);
  if (!reply.ok()) return "transport error";
  if (reply->status != 200) return std::to_string(reply->status) + " " + reply->body;
  return std::string(json::parse(reply->body).at("status").as_string());
}

TEST(TimescaleDb, TheThreeTablesAreHypertablesWithOneDayChunks) {
  SKIP_UNLESS_TIMESCALEDB();
  pg::PgResult r = Harness::Get().Db()->Exec(
      "SELECT hypertable_name || ' ' || column_name || ' ' || time_interval::text "
      "FROM timescaledb_information.dimensions "
      "WHERE hypertable_name IN ('event', 'job', 'subjob') ORDER BY 1");
  ASSERT_EQ(r.Rows(), 3);
  EXPECT_EQ(r.Text(0, 0), "event at 1 day");
  EXPECT_EQ(r.Text(1, 0), "job anchor_at 1 day");
  EXPECT_EQ(r.Text(2, 0), "subjob anchor_at 1 day");
}

TEST(TimescaleDb, StatisticsAreHierarchicalContinuousAggregatesWithPolicies) {
  SKIP_UNLESS_TIMESCALEDB();
  auto db = Harness::Get().Db();
  auto materialized = [&](const std::string& view) {
    return std::string(db->Exec("SELECT materialization_hypertable_name "
                                "FROM timescaledb_information.continuous_aggregates "
                                "WHERE view_name = $1",
                                {view})
                           .Text(0, 0));
  };
  const std::pair<const char*, std::string> sources[] = {
      {"job_hourly_stats", "job"},
      {"job_daily_stats", materialized("job_hourly_stats")},
      {"job_weekly_stats", materialized("job_daily_stats")},
      {"job_monthly_stats", materialized("job_daily_stats")}};
  for (const auto& [view, source] : sources) {
    pg::PgResult ca = db->Exec(
        "SELECT hypertable_name, materialized_only, materialization_hypertable_name "
        "FROM timescaledb_information.continuous_aggregates WHERE view_name = $1",
        {view});
    ASSERT_EQ(ca.Rows(), 1) << view;
    EXPECT_EQ(ca.Text(0, 0), source) << view << " reads the level below";
    EXPECT_FALSE(ca.Bool(0, 1)) << view << " is real-time";
    pg::PgResult policies =
        db->Exec(  // the jobs view names a continuous aggregate's policies by it
            "SELECT string_agg(proc_name || coalesce(' ' || (config->>'drop_after'), ''), ', ' "
            "ORDER BY proc_name) FROM timescaledb_information.jobs WHERE hypertable_name = $1",
            {std::string(view)});
    EXPECT_EQ(policies.Text(0, 0), "policy_refresh_continuous_aggregate, policy_retention 90 days")
        << view;
  }
}

TEST(TimescaleDb, RawTablesCompressAfterThreeDaysAndNoPolicyDropsThem) {
  SKIP_UNLESS_TIMESCALEDB();
  auto db = Harness::Get().Db();
  pg::PgResult r = db->Exec(
      "SELECT h.hypertable_name, h.compression_enabled, "
      "       (SELECT string_agg(j.proc_name || coalesce(' ' || (j.config->>'compress_after'), ''),"
      "                          ', ' ORDER BY j.proc_name) "
      "        FROM timescaledb_information.jobs j WHERE j.hypertable_name = h.hypertable_name) "
      "FROM timescaledb_information.hypertables h "
      "WHERE h.hypertable_name IN ('event', 'job', 'subjob') ORDER BY 1");
  ASSERT_EQ(r.Rows(), 3);
  for (int row = 0; row < 3; ++row) {
    EXPECT_TRUE(r.Bool(row, 1)) << r.Text(row, 0);
    EXPECT_EQ(r.Text(row, 2), "policy_compression 3 days")
        << r.Text(row, 0) << ": compression only, no retention on raw data";
  }
  // segmentby site, app and status, as the schema says.
  EXPECT_EQ(db->Exec("SELECT string_agg(attname, ',' ORDER BY segmentby_column_index) "
                     "FROM timescaledb_information.compression_settings "
                     "WHERE hypertable_name = 'job' AND segmentby_column_index IS NOT NULL")
                .Text(0, 0),
            "site_id,app_id,status");
}

TEST(TimescaleDb, RetentionPoliciesDropOnlyBucketsOlderThanKeep) {
  SKIP_UNLESS_TIMESCALEDB();
  const std::string site = "ts-keep-" + NewUuid().substr(0, 8);
  auto db = Harness::Get().Db();
  // One job 200 days old (every level's bucket entirely past the 90 days kept), one 10 days old.
  db->Exec(
      "INSERT INTO job (job_id, anchor_at, site_id, app_id, app_name, status, last_event_kind, "
      "last_event_at, duration_s) SELECT gen_random_uuid(), now() - d * interval '1 day', $1, "
      "gen_random_uuid(), 'app', 'succeeded', 'finished', now() - d * interval '1 day', 5 "
      "FROM unnest(ARRAY[200, 10]) d",
      {site});
  RefreshStatisticsSince(*db, "NULL");
  auto buckets = [&](const char* aggregate) {
    return db
        ->Exec(std::string("SELECT count(*) FROM ") + aggregate + " WHERE site_id = $1", {site})
        .Int64(0, 0);
  };
  for (const char* aggregate : kAggregates) ASSERT_EQ(buckets(aggregate), 2) << aggregate;

  RunPolicies(*db, "policy_retention", "hypertable_name LIKE 'job\\_%\\_stats'");
  for (const char* aggregate : kAggregates) {
    EXPECT_EQ(buckets(aggregate), 1) << aggregate;
    EXPECT_TRUE(db->Exec(std::string("SELECT min(bucket) > now() - interval '40 days' FROM ") +
                             aggregate + " WHERE site_id = $1",
                         {site})
                    .Bool(0, 0))
        << aggregate << " kept the recent bucket";
  }
  EXPECT_EQ(db->Exec("SELECT count(*) FROM job WHERE site_id = $1", {site}).Int64(0, 0), 2)
      << "the raw jobs stay (only the archiver removes them)";
}

// Compress the chunks of a past day with the policy's own job, then: the API answers the same,
// a late event for a job in a compressed chunk is accepted and updates its state, and its
// retry is still a duplicate.
TEST(TimescaleDb, CompressedChunksAnswerTheSameAndTakeLateEvents) {
  SKIP_UNLESS_TIMESCALEDB();
  const std::string site = "ts-compress-" + NewUuid().substr(0, 8);
  const std::string job = NewUuid(), subjob = NewUuid();
  const double start = -4 * 86400.0;  // four days ago: its day's chunks end over 3 days ago
  ASSERT_EQ(PostEvent(MakeEvent({.id = job, .at = AtOffset(start), .site = site})), "inserted");
  ASSERT_EQ(PostEvent(MakeEvent({.type = "subjob",
                                 .id = subjob,
                                 .parent = job,
                                 .at = AtOffset(start + 60),
                                 .site = site})),
            "inserted");
  ASSERT_EQ(PostEvent(MakeEvent({.type = "subjob",
                                 .id = subjob,
                                 .parent = job,
                                 .kind = "finished",
                                 .status = "succeeded",
                                 .at = AtOffset(start + 120),
                                 .duration_s = 60,
                                 .site = site})),
            "inserted");
  auto db = Harness::Get().Db();
  RefreshStatisticsOfTheLastMonths(*db);
  const std::string stats = "/v1/stats/jobs?bucket=1d&group_by=status&site_id=" + site +
                            "&from=" + AtOffset(start - 86400) + "&to=" + AtOffset(3600);
  auto stats_items = [&] {
    std::string answer = Get(stats);
    if (answer.rfind("200 ", 0) != 0) return answer;
    return json::serialize(json::parse(answer.substr(4)).at("items"));
  };
  const std::string targets[] = {"/v1/jobs?site_id=" + site, "/v1/jobs/" + job,
                                 "/v1/subjobs?job_id=" + job};
  Harness::Get().RestartApi();  // answers from the database, not from the query cache
  std::vector<std::string> before;
  for (const std::string& target : targets) before.push_back(Get(target));
  const std::string stats_before = stats_items();
  ASSERT_NE(stats_before, "[]");

  RunPolicies(*db, "policy_compression", "hypertable_name IN ('event', 'job', 'subjob')");
  for (const char* table : {"event", "job", "subjob"}) {
    const char* time_column = std::string_view(table) == "event" ? "at" : "anchor_at";
    const char* id_column = std::string_view(table) == "event" ? "entity_id"
                            : std::string_view(table) == "job" ? "job_id"
                                                               : "subjob_id";
    EXPECT_TRUE(db->Exec(std::string("SELECT bool_and(c.is_compressed) FROM ") + table +
                             " t JOIN timescaledb_information.chunks c ON c.hypertable_name = $1 "
                             "AND t." +
                             time_column + " >= c.range_start AND t." + time_column +
                             " < c.range_end WHERE t." + id_column + " IN ($2, $3)",
                         {table, job, subjob})
                    .Bool(0, 0))
        << table << ": the rows' chunk is compressed";
  }
  Harness::Get().RestartApi();
  for (size_t i = 0; i < std::size(targets); ++i) {
    EXPECT_EQ(Get(targets[i]), before[i]) << targets[i];
  }
  EXPECT_EQ(stats_items(), stats_before);

  // The late finish of the job lands in a compressed chunk.
  const std::string key = NewKey();
  const std::string finish = MakeEvent({.key = key,
                                        .id = job,
                                        .kind = "finished",
                                        .status = "failed",
                                        .at = AtOffset(start + 3600),
                                        .duration_s = 3600,
                                        .site = site});
  EXPECT_EQ(PostEvent(finish), "inserted");
  json::value detail = json::parse(Get("/v1/jobs/" + job).substr(4));
  EXPECT_EQ(detail.at("status").as_string(), "failed");
  EXPECT_EQ(PostEvent(finish), "duplicate");
  EXPECT_EQ(db->Exec("SELECT count(*) FROM event WHERE idempotency_key = $1", {key}).Int64(0, 0),
            1);
  RefreshStatisticsOfTheLastMonths(*db);
  EXPECT_NE(stats_items().find("\"status\":\"failed\""), std::string::npos) << stats_items();

  // The health views show real compression figures.
  pg::PgResult status = db->Exec(
      "SELECT count(*) FILTER (WHERE compressed), max(ratio) FROM compression_status "
      "WHERE table_name = 'job'");
  EXPECT_GE(status.Int64(0, 0), 1);
  EXPECT_FALSE(status.IsNull(0, 1));
  const json::value report = json::parse(pg::FetchMonitorReport(*db, std::chrono::hours(72)));
  EXPECT_GE(report.at("compression").at("compressed").as_int64(), 1);
  EXPECT_GT(report.at("compression").at("compressed_bytes").as_int64(), 0);
}

}  // namespace
}  // namespace dataplane::testing
