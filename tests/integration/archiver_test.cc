// The archiver end to end on a database of its own (real PostgreSQL or TimescaleDB), events in
// through the Local API over HTTP, parts into a local folder, read back by DuckDB as the Hive
// tree SPEC §5 promises: old days leave the hot tables exactly once, open jobs stay, late rows
// become further parts, and idempotency survives archival.
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "archive_world.h"
#include "archiver/archiver_run.h"
#include "archiver/archiver_service.h"
#include "archiver/day_planner.h"
#include "archiver/local_object_store.h"
#include "archiver/staged_file.h"
#include "harness.h"
#include "metrics/registry.h"
#include "metrics/testing/promtool.h"
#include "pg/migrations.h"

namespace dataplane::testing {
namespace {
namespace json = boost::json;

class ArchiverTest : public ArchiveWorld {};

TEST_F(ArchiverTest, OldDaysLeaveForParquetOnceAndOpenJobsStayHot) {
  const std::string done = NewUuid(), sub = NewUuid(), open = NewUuid(), recent = NewUuid();
  PostFinishedJob(done, sub, "fab1");
  EXPECT_EQ(Post(MakeEvent({.id = open, .kind = "started", .at = OldAt(5), .site = "fab2"})),
            "inserted");
  EXPECT_EQ(Post(MakeEvent({.id = recent,
                            .kind = "finished",
                            .status = "succeeded",
                            .at = AtOffset(-3600),
                            .site = "fab1"})),
            "inserted");

  const archiver::RunSummary first = Archive();
  EXPECT_FALSE(first.skipped);
  EXPECT_EQ(first.rows, 5u + 1u + 1u);  // five old events, the finished job, its subjob
  EXPECT_EQ(first.changed, 0);

  // Hot: the open job (its event is history and left), the recent job and its event.
  EXPECT_EQ(Count("SELECT count(*) FROM job WHERE job_id = '" + done + "'"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM subjob WHERE subjob_id = '" + sub + "'"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM job WHERE job_id IN ('" + open + "', '" + recent + "')"),
            2);
  EXPECT_EQ(Count("SELECT count(*) FROM event"), 1);

  // The manifest names every object, and its checksum is the file's.
  auto manifest = db_->Exec(
      "SELECT table_name, site_id, part, rows, bytes, sha256, object_key, store"
      " FROM archive_manifest ORDER BY table_name, site_id");
  ASSERT_EQ(manifest.Rows(), 4);
  const std::vector<std::tuple<std::string, std::string, std::int64_t>> expected = {
      {"event", "fab1", 4}, {"event", "fab2", 1}, {"job", "fab1", 1}, {"subjob", "fab1", 1}};
  for (int r = 0; r < manifest.Rows(); ++r) {
    EXPECT_EQ(manifest.Text(r, 0), std::get<0>(expected[r]));
    EXPECT_EQ(manifest.Text(r, 1), std::get<1>(expected[r]));
    EXPECT_EQ(manifest.Int64(r, 2), 0);
    EXPECT_EQ(manifest.Int64(r, 3), std::get<2>(expected[r]));
    EXPECT_EQ(manifest.Text(r, 7), store_->Location());
    auto file = archiver::HashFile(store_->root() + "/" + std::string(manifest.Text(r, 6)));
    ASSERT_TRUE(file) << file.error().message;
    EXPECT_EQ(static_cast<std::int64_t>(file->bytes), manifest.Int64(r, 4));
    EXPECT_EQ(file->sha256_hex, manifest.Text(r, 5));
  }

  // DuckDB reads the tree as one Hive-partitioned table.
  EXPECT_EQ(Duck("SELECT \"table\", site, count(*) FROM read_parquet('" + Tree() +
                 "', hive_partitioning = true, union_by_name = true) GROUP BY ALL ORDER BY ALL"),
            (std::vector<std::vector<std::string>>{{"event", "fab1", "4"},
                                                   {"event", "fab2", "1"},
                                                   {"job", "fab1", "1"},
                                                   {"subjob", "fab1", "1"}}));
  EXPECT_EQ(Duck("SELECT job_id::text, status, event_count FROM read_parquet('" + dir_ +
                 "/archive/site=fab1/table=job/*/*.parquet')"),
            (std::vector<std::vector<std::string>>{{done, "succeeded", "2"}}));

  // A second run finds nothing more to do.
  const archiver::RunSummary second = Archive();
  EXPECT_EQ(second.rows, 0u);
  EXPECT_EQ(Count("SELECT count(*) FROM archive_manifest"), 4);
  EXPECT_EQ(Count("SELECT count(*) FROM archive_run WHERE ok"), 2);
}

// The world reads every day by two streams (archive_world.cc), each half of the day's time range
// into a part file of its own: the parts follow each other in time, and hold every row once.
TEST_F(ArchiverTest, ADayReadByTwoStreamsBecomesOnePartPerHalfOfTheDayInTimeOrder) {
  for (double at : {-6 * 3600.0, -5 * 3600.0, 5 * 3600.0}) {  // 06:00, 07:00 and 17:00
    EXPECT_EQ(Post(MakeEvent({.id = NewUuid(),
                              .kind = "finished",
                              .status = "succeeded",
                              .at = OldAt(at),
                              .duration_s = 1,
                              .site = "fab1"})),
              "inserted");
  }
  EXPECT_EQ(
      Post(MakeEvent({.id = NewUuid(), .kind = "started", .at = OldAt(-3600), .site = "fab2"})),
      "inserted");
  const RowIds original = HotRows();
  EXPECT_EQ(Archive().rows, 4u + 3u);  // the four events, the three finished jobs

  auto parts = db_->Exec(
      "SELECT table_name, site_id, part, rows, min_at < day + interval '12 hours', "
      "max_at < day + interval '12 hours', object_key FROM archive_manifest "
      "ORDER BY table_name, site_id, part");
  const std::vector<std::vector<std::string>> expected = {
      {"event", "fab1", "0", "2", "t", "t"},  // the morning
      {"event", "fab1", "1", "1", "f", "f"},  // the afternoon
      {"event", "fab2", "0", "1", "t", "t"},  // fab2 has no afternoon: no gap in its numbers
      {"job", "fab1", "0", "2", "t", "t"},
      {"job", "fab1", "1", "1", "f", "f"}};
  ASSERT_EQ(parts.Rows(), static_cast<int>(expected.size()));
  for (int r = 0; r < parts.Rows(); ++r) {
    for (int c = 0; c < 6; ++c) EXPECT_EQ(parts.Text(r, c), expected[r][c]) << r << " " << c;
    EXPECT_NE(parts.Text(r, 6).find("part-000" + std::string(parts.Text(r, 2)) + ".parquet"),
              std::string::npos)
        << parts.Text(r, 6);
  }
  ExpectExactlyOnce(original);
  EXPECT_EQ(Duck("SELECT count(*) FROM read_parquet('" + Tree() +
                 "', hive_partitioning = true, "
                 "union_by_name = true) WHERE \"table\" = 'event'"),
            (std::vector<std::vector<std::string>>{{"4"}}));
}

TEST_F(ArchiverTest, AnOpenJobLeavesOnceItEndsAndLateEventsBecomeTheNextPart) {
  const std::string open = NewUuid();
  const std::string started_at = OldAt();
  EXPECT_EQ(Post(MakeEvent({.id = open, .kind = "started", .at = started_at, .site = "fab2"})),
            "inserted");
  Archive();
  EXPECT_EQ(Count("SELECT count(*) FROM job WHERE job_id = '" + open + "'"), 1);

  // It ends (an event stamped on its old day, long quiet): the job and the late event leave.
  EXPECT_EQ(
      Post(MakeEvent(
          {.id = open, .kind = "finished", .status = "failed", .at = OldAt(60), .site = "fab2"})),
      "inserted");
  const archiver::RunSummary later = Archive();
  EXPECT_EQ(later.rows, 2u);
  EXPECT_EQ(Count("SELECT count(*) FROM job"), 0);
  auto parts =
      db_->Exec("SELECT table_name, part, rows FROM archive_manifest ORDER BY table_name, part");
  ASSERT_EQ(parts.Rows(), 3);
  EXPECT_EQ(std::string(parts.Text(0, 0)) + "/" + std::to_string(parts.Int64(0, 1)), "event/0");
  EXPECT_EQ(std::string(parts.Text(1, 0)) + "/" + std::to_string(parts.Int64(1, 1)), "event/1");
  EXPECT_EQ(std::string(parts.Text(2, 0)) + "/" + std::to_string(parts.Int64(2, 1)), "job/0");
  EXPECT_EQ(Duck("SELECT status, count(*) FROM read_parquet('" + dir_ +
                 "/archive/site=fab2/table=event/*/*.parquet') GROUP BY ALL ORDER BY ALL"),
            (std::vector<std::vector<std::string>>{{"failed", "1"}, {"running", "1"}}));
}

TEST_F(ArchiverTest, AnEventResentAfterArchivalIsStillADuplicate) {
  const std::string job = NewUuid(), key = NewKey();
  const std::string body =
      MakeEvent({.key = key, .id = job, .kind = "finished", .status = "succeeded", .at = OldAt()});
  EXPECT_EQ(Post(body), "inserted");
  EXPECT_EQ(Archive().rows, 2u);
  EXPECT_EQ(Post(body), "duplicate");
  EXPECT_EQ(Count("SELECT count(*) FROM event"), 0);
}

TEST_F(ArchiverTest, AHeldDayStaysHotAndARunIsSkippedWhileAnotherHoldsTheLock) {
  const std::string job = NewUuid();
  EXPECT_EQ(Post(MakeEvent({.id = job, .kind = "finished", .status = "succeeded", .at = OldAt()})),
            "inserted");
  auto other = Open();
  ASSERT_TRUE(*archiver::TryLockArchiver(*other));
  EXPECT_TRUE(Archive().skipped);
  archiver::UnlockArchiver(*other);

  db_->Exec(
      "INSERT INTO archive_hold (table_name, day, hold_until) SELECT t, "
      "(now() AT TIME ZONE 'UTC')::date - 5, now() + interval '1 hour'"
      " FROM unnest(ARRAY['event', 'job', 'subjob']) t");
  EXPECT_EQ(Archive().rows, 0u);
  db_->Exec("UPDATE archive_hold SET hold_until = now() - interval '1 second'");
  EXPECT_EQ(Archive().rows, 2u);
}

}  // namespace
}  // namespace dataplane::testing

namespace dataplane::testing {
namespace {

TEST_F(ArchiverTest, StatusSaysWhatTheArchiveHoldsAndWhatIsDue) {
  PostFinishedJob(NewUuid(), NewUuid(), "fab1");
  db_->Exec(
      "INSERT INTO archive_hold (table_name, day, hold_until) VALUES"
      " ('subjob', (now() AT TIME ZONE 'UTC')::date - 5, now() + interval '1 hour')");
  ASSERT_EQ(RunArchiverProcess({"ARCHIVE_CODEC=snappy"}), 0);
  db_->Exec("DELETE FROM archive_hold");
  ASSERT_EQ(RunArchiverProcess({}, "", "--status"), 0);
  std::ifstream in(log_path());
  std::stringstream text;
  text << in.rdbuf();
  const json::value status = json::parse(text.str());
  EXPECT_EQ(status.at("last_run").at("ok"), true);
  EXPECT_EQ(status.at("last_run").at("rows"), 5);
  EXPECT_EQ(status.at("failed_runs_since_success"), 0);
  EXPECT_TRUE(status.at("last_success").is_string());
  const json::value& tables = status.at("tables");
  EXPECT_EQ(tables.at("event").at("rows"), 4);
  EXPECT_EQ(tables.at("event").at("objects"), 1);
  EXPECT_EQ(tables.at("event").at("pending_days"), 0);
  EXPECT_EQ(tables.at("subjob").at("objects"), 0);
  EXPECT_EQ(tables.at("subjob").at("pending_days"), 1);
  EXPECT_EQ(tables.at("subjob").at("oldest_pending_day"), json::value(OldAt().substr(0, 10)));
  EXPECT_EQ(Count("SELECT count(*) FROM archive_manifest WHERE codec = 'snappy'"), 2);
}

TEST_F(ArchiverTest, TheServiceCountsWhatItArchivedAndTheBacklog) {
  PostFinishedJob(NewUuid(), NewUuid(), "fab1");
  metrics::MetricsRegistry registry;
  auto store = archiver::LocalObjectStore::Open(ArchiveDir());
  ASSERT_TRUE(store);
  archiver::ArchiverService service(
      {.database_url = Url(), .run = settings_}, std::move(*store),
      archiver::ArchiverMetrics(metrics::Scope(registry).With("service", "archiver")));
  // Before the run, nothing is known; the hold makes the job's day a backlog of one.
  db_->Exec(
      "INSERT INTO archive_hold (table_name, day, hold_until) VALUES"
      " ('job', (now() AT TIME ZONE 'UTC')::date - 5, now() + interval '1 hour')");
  ASSERT_TRUE(service.RunOnce());
  const std::string text = registry.Serialize();
  EXPECT_TRUE(metrics::testing::PromtoolAccepts(text));  // valid and lint-clean
  for (const char* line :
       {"dataplane_archiver_runs_total{service=\"archiver\",result=\"ok\"} 1",
        "dataplane_archiver_rows_total{service=\"archiver\",table=\"event\"} 4",
        "dataplane_archiver_rows_total{service=\"archiver\",table=\"subjob\"} 1",
        "dataplane_archiver_rows_total{service=\"archiver\",table=\"job\"} 0",
        "dataplane_archiver_objects_total{service=\"archiver\",table=\"event\"} 1",
        "dataplane_archiver_backlog{service=\"archiver\",table=\"event\"} 0"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << " not in\n" << text;
  }
  EXPECT_EQ(text.find("dataplane_archiver_last_success_timestamp_seconds{service=\"archiver\"} 0"),
            std::string::npos);
  // Held days are not due: the job's day is not in the backlog while the hold lasts.
  EXPECT_NE(text.find("dataplane_archiver_backlog{service=\"archiver\",table=\"job\"} 0"),
            std::string::npos);
  db_->Exec("UPDATE archive_hold SET hold_until = now() - interval '1 second'");
  auto conn = Open();
  auto backlog = archiver::PlanDays(
      *conn, *archiver::FindArchivedTable("job"),
      OnTimescaleDb() ? archiver::Backend::kTimescaleDb : archiver::Backend::kPostgres,
      core::NowMicros() - 72LL * 3600 * core::kMicrosPerSecond);
  ASSERT_TRUE(backlog);
  EXPECT_EQ(backlog->size(), 1u);
}

}  // namespace
}  // namespace dataplane::testing
