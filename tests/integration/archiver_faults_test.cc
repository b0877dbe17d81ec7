// The archiver under faults, run as the real process: SIGKILL at every step boundary (the
// test-only DATAPLANE_ARCHIVER_STOP_AT), a full disk (a file size limit: writes fail with EFBIG as
// they would with ENOSPC), the database taken away between verification and commit. Each ends
// with "the archive and the hot tables hold every row exactly once" before and after the next,
// undisturbed, run.
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "archive_world.h"

namespace dataplane::testing {
namespace {

class ArchiverFaults : public ArchiveWorld {
 protected:
  // Six finished jobs on two sites, one still open, one recent: every table and rule.
  RowIds Populate() {
    for (int i = 0; i < 6; ++i) PostFinishedJob(NewUuid(), NewUuid(), i % 2 ? "fab1" : "fab2");
    EXPECT_EQ(Post(MakeEvent({.id = NewUuid(), .kind = "started", .at = OldAt(40)})), "inserted");
    EXPECT_EQ(
        Post(MakeEvent(
            {.id = NewUuid(), .kind = "finished", .status = "succeeded", .at = AtOffset(-60)})),
        "inserted");
    return HotRows();
  }

  std::string Log() const {
    std::ifstream in(log_path());
    std::stringstream all;
    all << in.rdbuf();
    return all.str();
  }

  static bool Killed(int status) {
    return (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) ||
           (WIFEXITED(status) && WEXITSTATUS(status) == 128 + SIGKILL);
  }
  static int ExitCode(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }

  // The undisturbed run after a fault archives everything that is due, exactly once.
  void ExpectTheNextRunFinishes(const RowIds& original) {
    ASSERT_EQ(ExitCode(RunArchiverProcess({})), 0) << Log();
    ExpectExactlyOnce(original);
    EXPECT_EQ(Count("SELECT count(*) FROM event WHERE at < now() - interval '3 days'"), 0);
    EXPECT_EQ(Count("SELECT count(*) FROM job WHERE status <> 'running'"
                    " AND anchor_at < now() - interval '3 days'"),
              0);
    EXPECT_EQ(Count("SELECT count(*) FROM job WHERE status = 'running'"), 1);
  }
};

class ArchiverCrash : public ArchiverFaults, public ::testing::WithParamInterface<const char*> {};

TEST_P(ArchiverCrash, AKillAtAStepBoundaryLosesAndDuplicatesNothing) {
  const RowIds original = Populate();
  const int status = RunArchiverProcess({std::string("DATAPLANE_ARCHIVER_STOP_AT=") + GetParam()});
  ASSERT_TRUE(Killed(status)) << "wait status " << status << ": " << Log();
  ExpectExactlyOnce(original, /*allow_orphans=*/true);
  ExpectTheNextRunFinishes(original);
}

INSTANTIATE_TEST_SUITE_P(EveryStep, ArchiverCrash,
                         ::testing::Values("after_export", "after_upload", "after_verify",
                                           "after_commit"));

// `archiver restore` killed at each of its step boundaries: before the commit the day is still
// archived as it was and a second restore does it; after the commit the rows are hot, and the
// objects left behind are overwritten or swept when the day is archived again.
class ArchiverRestoreCrash : public ArchiverFaults,
                             public ::testing::WithParamInterface<const char*> {};

TEST_P(ArchiverRestoreCrash, AKilledRestoreLosesAndDuplicatesNothing) {
  const RowIds original = Populate();
  ASSERT_EQ(ExitCode(RunArchiverProcess({})), 0) << Log();
  const std::int64_t archived_events =
      Count("SELECT count(*) FROM archive_manifest WHERE table_name = 'event'");
  ASSERT_GT(archived_events, 0);
  const std::string restore = "restore --table event --from " + OldAt().substr(0, 10);
  const std::string staging = "ARCHIVE_STAGING_DIR=" + dir_;
  const int status = RunArchiverProcess(
      {staging, std::string("DATAPLANE_ARCHIVER_STOP_AT=") + GetParam()}, "", restore);
  ASSERT_TRUE(Killed(status)) << "wait status " << status << ": " << Log();
  const bool committed = std::string(GetParam()) == "restore_after_commit";
  ExpectExactlyOnce(original, /*allow_orphans=*/committed);
  EXPECT_EQ(Count("SELECT count(*) FROM archive_manifest WHERE table_name = 'event'"),
            committed ? 0 : archived_events);
  EXPECT_EQ(Count("SELECT count(*) FROM archive_hold"), committed ? 1 : 0);

  // Restoring again finishes the work (or finds it done), then the day is archived again.
  ASSERT_EQ(ExitCode(RunArchiverProcess({staging}, "", restore)), 0) << Log();
  EXPECT_EQ(Count("SELECT count(*) FROM archive_manifest WHERE table_name = 'event'"), 0);
  ExpectExactlyOnce(original, /*allow_orphans=*/committed);
  db_->Exec("DELETE FROM archive_hold");
  ExpectTheNextRunFinishes(original);
}

INSTANTIATE_TEST_SUITE_P(EveryRestoreStep, ArchiverRestoreCrash,
                         ::testing::Values("restore_after_fetch", "restore_before_commit",
                                           "restore_after_commit"));

TEST_F(ArchiverFaults, AFullDiskFailsTheRunAndLeavesTheRowsHot) {
  const RowIds original = Populate();
  // 2 blocks of 512 bytes: the first part file cannot be written.
  const int status = RunArchiverProcess({}, "trap '' XFSZ; ulimit -f 2;");
  EXPECT_EQ(ExitCode(status), 1) << Log();
  EXPECT_NE(Log().find("File too large"), std::string::npos) << Log();
  EXPECT_EQ(Count("SELECT count(*) FROM archive_manifest"), 0);
  EXPECT_EQ(HotRows(), original);
  ExpectExactlyOnce(original);  // and no staged file left behind
  EXPECT_EQ(Count("SELECT count(*) FROM archive_run WHERE NOT ok"), 1);
  ExpectTheNextRunFinishes(original);
}

TEST_F(ArchiverFaults, TheDatabaseGoingAwayBeforeTheCommitLeavesTheRowsHot) {
  const RowIds original = Populate();
  int status = 0;
  std::thread archiver([&] {
    status = RunArchiverProcess(
        {"DATAPLANE_ARCHIVER_PAUSE_AT=after_verify", "DATAPLANE_ARCHIVER_PAUSE_S=3"});
  });
  bool paused = false;
  for (int i = 0; i < 300 && !paused; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    paused = Log().find("archiver: paused") != std::string::npos;
  }
  EXPECT_TRUE(paused) << Log();
  Count(
      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
      " WHERE application_name = 'dataplane-archiver'");
  archiver.join();
  EXPECT_EQ(ExitCode(status), 1) << Log();
  EXPECT_EQ(Count("SELECT count(*) FROM archive_manifest"), 0);
  EXPECT_EQ(HotRows(), original);
  ExpectExactlyOnce(original, /*allow_orphans=*/true);
  ExpectTheNextRunFinishes(original);
}

}  // namespace
}  // namespace dataplane::testing
