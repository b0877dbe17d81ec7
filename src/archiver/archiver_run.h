#pragma once
// One archiver run (SPEC §5, docs/archiver.md): every (table, day) the planner names
// (day_planner.h), oldest first, each through the same steps:
//   1. export   the leaving rows, one Parquet file per site, staged locally (day_export.h);
//   2. upload   each part to the store under its deterministic key;
//   3. verify   each stored object's size and checksum against the staged file;
//   4. commit   recheck, manifest rows and removal of the rows in one transaction
//               (day_removal.h); a day whose rows changed since the export is exported again
//               (at most twice per run, then left to the next run);
//   5. clean    delete the staged files and any object in the day's folders that has no
//               manifest row (left by a run that died between upload and commit).
// A crash anywhere leaves the database and the store consistent: before the commit the rows
// are still hot and the next run overwrites the same keys; after it they are archived.
//
// One archiver per database: the run holds a session advisory lock (kArchiverLockKey) on its
// connection and skips when another holds it (`restore` takes the same lock). Every run that
// held the lock is recorded in archive_run. The first failure (the store or the database down,
// a full disk) ends the run with that error; what was committed stays committed.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "archiver/archive_day.h"
#include "archiver/day_export.h"
#include "archiver/day_removal.h"
#include "archiver/object_store.h"
#include "core/error.h"
#include "pg/connection.h"

namespace dataplane::archiver {

inline constexpr std::int64_t kArchiverLockKey = 0x64706172636876;  // "dparchv"

struct ArchiverSettings {
  std::chrono::hours archive_after{72};  // ARCHIVE_AFTER_HOURS
  ExportSettings export_settings;
  RemovalSettings removal;
};

struct TableTotals {
  int parts = 0;
  std::uint64_t rows = 0;
  std::uint64_t bytes = 0;
};

struct RunSummary {
  bool skipped = false;  // another archiver held the lock
  int days = 0;          // (table, day)s archived
  int changed = 0;       // days left to the next run because their rows kept changing
  int parts = 0;
  std::uint64_t rows = 0;
  std::uint64_t bytes = 0;
  core::Micros cutoff = 0;
  std::map<std::string, TableTotals> tables;  // what this run archived, by table name
};

//! One run at `now` on `conn` (a connection of its own: the run holds a session lock on it).
core::Result<RunSummary> RunArchiver(pg::Connection& conn, ObjectStore& store,
                                     const ArchiverSettings& settings, core::Micros now);

//! Takes the archiver lock on `conn` without waiting; false when another session holds it.
core::Result<bool> TryLockArchiver(pg::Connection& conn);
void UnlockArchiver(pg::Connection& conn);

//! The database's storage, as day_removal and day_planner need it.
core::Result<Backend> ReadBackend(pg::Connection& conn);

}  // namespace dataplane::archiver
