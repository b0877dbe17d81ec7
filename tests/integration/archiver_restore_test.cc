// `dataplane archiver restore` on a database of its own (real PostgreSQL or TimescaleDB): the
// archived rows come back exactly as they were stored (every column, compared as JSON by the
// database), the day stays hot under a hold, the objects leave the store, a second restore does
// nothing, rows the hot table holds already win, and an object that is not what its manifest
// row records restores nothing.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "archive_world.h"
#include "archiver/archive_restore.h"
#include "archiver/archiver_run.h"
#include "harness.h"

namespace dataplane::testing {
namespace {
namespace json = boost::json;

class ArchiverRestore : public ArchiveWorld {
 protected:
  //! An event whose metadata holds non-ASCII text, an empty string, a null and 40 kB of text.
  std::string Post(EventSpec spec) {
    json::value event = json::parse(MakeEvent(spec));
    event.at("event").as_object()["metadata"] = {{"note", "Grüße ✓ 晶圆"},
                                                 {"empty", ""},
                                                 {"none", nullptr},
                                                 {"big", std::string(40000, 'x')}};
    return ArchiveWorld::Post(json::serialize(event));
  }

  //! Every row of the three tables, every column, as the database prints it.
  std::string Contents() {
    std::string all;
    for (const char* table : {"event", "job", "subjob"}) {
      auto rows = db_->Exec(std::string("SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY "
                                        "to_jsonb(t)::text), '[]')::text FROM ") +
                            table + " t");
      all += std::string(table) + ": " + std::string(rows.Text(0, 0)) + "\n";
    }
    return all;
  }

  core::Result<archiver::RestoreSummary> Restore(const std::string& table, int days_back = 6,
                                                 int days_forward = -4) {
    archiver::RestoreRequest request;
    request.table = archiver::FindArchivedTable(table);
    const auto today = archiver::ArchiveDay::Of(core::NowMicros());
    request.from = {today.days - days_back};
    request.to = {today.days + days_forward};
    request.staging_dir = dir_;
    auto conn = Open();
    return archiver::RestoreArchive(*conn, *store_, request);
  }

  std::string Day() const { return OldAt().substr(0, 10); }

  void PostJobs() {
    for (const char* site : {"fab1", "fab2"}) {
      const std::string job = NewUuid(), sub = NewUuid();
      ASSERT_EQ(Post({.id = job, .kind = "started", .at = OldAt(1), .site = site}), "inserted");
      ASSERT_EQ(Post({.type = "subjob",
                      .id = sub,
                      .parent = job,
                      .kind = "finished",
                      .status = "succeeded",
                      .at = OldAt(2),
                      .duration_s = 12.5,
                      .site = site}),
                "inserted");
      ASSERT_EQ(Post({.id = job,
                      .kind = "finished",
                      .status = "failed",
                      .at = OldAt(3),
                      .duration_s = 1e-300,
                      .site = site}),
                "inserted");
    }
  }
};

TEST_F(ArchiverRestore, RowsComeBackExactlyOnceAndTheDayStaysHot) {
  PostJobs();
  const std::string before = Contents();
  const RowIds original = HotRows();
  ASSERT_EQ(Archive().rows, 6u + 2u + 2u);
  ASSERT_EQ(Count("SELECT count(*) FROM event"), 0);

  for (const char* table : {"event", "job", "subjob"}) {
    auto restored = Restore(table);
    ASSERT_TRUE(restored) << restored.error().message;
    ASSERT_EQ(restored->days.size(), 1u) << table;
    EXPECT_EQ(restored->days[0].day.Text(), Day());
    EXPECT_EQ(restored->days[0].parts, 2) << table;  // one per site
    EXPECT_EQ(restored->archived_rows, restored->inserted_rows) << table;
  }
  EXPECT_EQ(Contents(), before);
  EXPECT_EQ(Count("SELECT count(*) FROM archive_manifest"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM archive_hold WHERE hold_until > now() + interval '167 "
                  "hours' AND day = '" +
                  Day() + "'"),
            3);
  ExpectExactlyOnce(original);  // the objects left the store with their manifest rows

  // Again: nothing is archived any more, nothing changes; the held day is not archived again.
  auto again = Restore("event");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->days.empty());
  EXPECT_EQ(Archive().rows, 0u);
  EXPECT_EQ(Contents(), before);

  // Once the hold ends, the day is archived again, as new parts, exactly once.
  db_->Exec("UPDATE archive_hold SET hold_until = now() - interval '1 second'");
  EXPECT_EQ(Archive().rows, 10u);
  ExpectExactlyOnce(original);
}

// Two streams (archive_world.cc) write a day with a morning and an afternoon as two parts per
// site; both come back, every column as it was.
TEST_F(ArchiverRestore, ADayArchivedAsOnePartPerStreamComesBackExactly) {
  PostJobs();  // the afternoon
  for (const char* site : {"fab1", "fab2"}) {
    ASSERT_EQ(Post({.id = NewUuid(),
                    .kind = "finished",
                    .status = "succeeded",
                    .at = OldAt(-4 * 3600),
                    .duration_s = 3,
                    .site = site}),
              "inserted");
  }
  const std::string before = Contents();
  ASSERT_EQ(Archive().rows, 8u + 4u + 2u);
  auto restored = Restore("event");
  ASSERT_TRUE(restored) << restored.error().message;
  ASSERT_EQ(restored->days.size(), 1u);
  EXPECT_EQ(restored->days[0].parts, 4);  // a morning and an afternoon per site
  for (const char* table : {"job", "subjob"}) ASSERT_TRUE(Restore(table));
  EXPECT_EQ(Contents(), before);
}

TEST_F(ArchiverRestore, EventsTheHotTableHoldsAreNotInsertedTwice) {
  PostJobs();
  const std::string before = Contents();
  db_->Exec("CREATE TABLE kept AS SELECT * FROM event");
  ASSERT_EQ(Archive().rows, 10u);
  // fab1's events are back by hand (an operator's copy) before the day is restored.
  db_->Exec("SELECT ensure_partitions('" + Day() + "'::date, '" + Day() + "'::date)");
  db_->Exec("INSERT INTO event SELECT * FROM kept WHERE site_id = 'fab1'");
  auto restored = Restore("event");
  ASSERT_TRUE(restored) << restored.error().message;
  EXPECT_EQ(restored->archived_rows, 6u);
  EXPECT_EQ(restored->inserted_rows, 3u);
  ASSERT_TRUE(Restore("job"));
  ASSERT_TRUE(Restore("subjob"));
  EXPECT_EQ(Contents(), before);
}

TEST_F(ArchiverRestore, AStateRowThatIsHotAgainWinsOverItsArchivedCopy) {
  PostJobs();
  db_->Exec("CREATE TABLE kept AS SELECT * FROM job");
  ASSERT_EQ(Archive().rows, 10u);
  // fab1's job is hot again with a newer state before the day is restored.
  db_->Exec("SELECT ensure_partitions('" + Day() + "'::date, '" + Day() + "'::date)");
  db_->Exec("INSERT INTO job SELECT * FROM kept WHERE site_id = 'fab1'");
  db_->Exec("UPDATE job SET status = 'cancelled', event_count = event_count + 1");
  auto restored = Restore("job");
  ASSERT_TRUE(restored) << restored.error().message;
  EXPECT_EQ(restored->archived_rows, 2u);
  EXPECT_EQ(restored->inserted_rows, 1u);
  EXPECT_EQ(Count("SELECT count(*) FROM job"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM job WHERE site_id = 'fab1' AND status = 'cancelled'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM job WHERE site_id = 'fab2' AND status = 'failed'"), 1);
}

TEST_F(ArchiverRestore, AnObjectThatIsNotWhatTheManifestSaysRestoresNothing) {
  PostJobs();
  ASSERT_EQ(Archive().rows, 10u);
  const RowIds original = HotRows();
  auto key = db_->Exec(
      "SELECT object_key FROM archive_manifest WHERE table_name = 'event' ORDER BY site_id DESC "
      "LIMIT 1");
  const std::string path = ArchiveDir() + "/" + std::string(key.Text(0, 0));
  {
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(100);
    file.put('\x7f');
  }
  auto restored = Restore("event");
  ASSERT_FALSE(restored);
  EXPECT_EQ(restored.error().code, "archive_mismatch");
  EXPECT_NE(restored.error().message.find(std::string(key.Text(0, 0))), std::string::npos);
  EXPECT_EQ(Count("SELECT count(*) FROM event"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM archive_manifest WHERE table_name = 'event'"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM archive_hold"), 0);
  // No staging file is left behind.
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().filename().string().find("dataplane-restore-"), std::string::npos);
  }
}

TEST_F(ArchiverRestore, ARestoreWaitsForNoRunAndIsRefusedWhileOneHoldsTheLock) {
  PostJobs();
  ASSERT_EQ(Archive().rows, 10u);
  auto other = Open();
  ASSERT_TRUE(*archiver::TryLockArchiver(*other));
  auto restored = Restore("event");
  ASSERT_FALSE(restored);
  EXPECT_EQ(restored.error().kind, core::ErrorKind::kUnavailable);
  archiver::UnlockArchiver(*other);
  EXPECT_TRUE(Restore("event"));
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST_F(ArchiverRestore, TheCommandPrintsWhatItRestoredAndRefusesBadRequests) {
  PostJobs();
  ASSERT_EQ(RunArchiverProcess({}), 0);
  ASSERT_EQ(RunArchiverProcess({"LOG_LEVEL=WARNING"}, "",
                               "restore --table subjob --from " + Day() + " --hold-hours 2"),
            0);
  const json::value report = json::parse(ReadAll(log_path()));
  EXPECT_EQ(report.at("table"), "subjob");
  EXPECT_EQ(report.at("from"), json::value(Day()));
  EXPECT_EQ(report.at("to"), json::value(Day()));
  EXPECT_EQ(report.at("hold_hours"), 2);
  EXPECT_EQ(report.at("archived_rows"), 2);
  EXPECT_EQ(report.at("inserted_rows"), 2);
  EXPECT_EQ(report.at("days").at(0).at("parts"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM subjob"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM archive_hold WHERE hold_until < now() + interval '3 "
                  "hours'"),
            1);

  for (const std::string& bad : std::vector<std::string>{
           "restore --table jobs --from " + Day(), "restore --table job --from 2026-13-01",
           "restore --table job --from 2026-01-02 --to 2026-01-01", "restore --table job",
           "restore --table job --from " + Day() + " --hold-hours 0"}) {
    EXPECT_EQ(RunArchiverProcess({}, "", bad), 2 << 8) << bad << ": " << ReadAll(log_path());
  }
  EXPECT_NE(ReadAll(log_path()).find("hold-hours"), std::string::npos);
}

}  // namespace
}  // namespace dataplane::testing
