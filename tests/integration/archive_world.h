#pragma once
// Shared by the archiver's integration tests: a database of its own (created anew, migrated)
// with a Local API on it to post events over HTTP, a local archive folder, DuckDB to read the
// archive back, the `dataplane` binary to run the archiver as a process (crash tests), and the
// invariant every test ends with: the archive and the hot tables hold every row exactly once.
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "archiver/archiver_run.h"
#include "archiver/local_object_store.h"
#include "harness.h"

namespace dataplane::testing {

//! RFC 3339 for noon (UTC) five days ago plus `seconds`: far older than ARCHIVE_AFTER_HOURS,
//! and never near a day's edge.
std::string OldAt(double seconds = 0);

//! Rows DuckDB answers for `sql`, each value as text (NULL as "null"); a test failure when
//! DuckDB fails.
std::vector<std::vector<std::string>> Duck(const std::string& sql);

//! The ids of every row, per table ("event": idempotency keys, "job": job ids, "subjob":
//! subjob ids), each with its event_count (1 for events): what must survive archival.
using RowIds = std::map<std::string, std::multiset<std::string>>;

class ArchiveWorld : public ::testing::Test {
 protected:
  static constexpr const char* kDatabase = "it_archiver";

  void SetUp() override;
  void TearDown() override;

  std::unique_ptr<pg::Connection> Open() const;
  std::string Url() const;
  //! Posts one event; its answer's status ("inserted", "duplicate") or "error <http status>".
  std::string Post(const std::string& body);
  //! A finished job with one finished subjob at OldAt() on `site`: four events.
  void PostFinishedJob(const std::string& job, const std::string& sub, const std::string& site);
  //! One in-process run at now.
  archiver::RunSummary Archive();
  std::int64_t Count(const std::string& sql);
  //! The archive tree's glob for DuckDB.
  std::string Tree() const { return dir_ + "/archive/**/*.parquet"; }
  std::string ArchiveDir() const { return dir_ + "/archive"; }

  //! Runs `dataplane archiver <arguments>` with these extra environment settings ("NAME=value")
  //! and shell prefix (e.g. "ulimit -f 4;"); its wait status as std::system gives it. Its
  //! output goes to `log_path()`.
  int RunArchiverProcess(const std::vector<std::string>& env, const std::string& prefix = "",
                         const std::string& arguments = "--once");
  std::string log_path() const { return dir_ + "/archiver.log"; }

  //! The row ids of the hot tables, and of the archive: the objects the manifest names (the
  //! archive's truth), read by DuckDB.
  RowIds HotRows();
  RowIds ArchivedRows();
  //! Hot + archived hold `original`, each row once; every manifest row's object is there with its
  //! size and checksum, and the manifest counts their rows. Unless `allow_orphans` (just after a
  //! crash, before the next run sweeps them), the folder holds no object the manifest does not
  //! name.
  void ExpectExactlyOnce(const RowIds& original, bool allow_orphans = false);

  archiver::ArchiverSettings settings_;
  std::unique_ptr<pg::Connection> db_;
  std::unique_ptr<TestApi> api_;
  std::unique_ptr<http::HttpClient> client_;
  std::string dir_;
  std::unique_ptr<archiver::LocalObjectStore> store_;
};

}  // namespace dataplane::testing
