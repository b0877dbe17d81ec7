#pragma once
// The archive's records in the database (database/sql/parts/schema/070_archive.sql):
//   - archive_manifest: one row per stored part, inserted in the transaction that removes the
//     part's rows from the hot tables (day_removal.h), so a row exists exactly when its rows are
//     in the archive and no longer hot;
//   - archive_run: one row per run, the latest kKeptRuns kept, for `archiver --status`.
// Every call runs on the caller's connection, inside whatever transaction it has open.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "archiver/archive_day.h"
#include "archiver/day_export.h"
#include "core/error.h"
#include "pg/connection.h"

namespace dataplane::archiver {

inline constexpr int kKeptRuns = 1000;

//! The next part number of each site that already has parts of (table, day): max(part) + 1.
core::Result<std::map<std::string, int>> NextParts(pg::Connection& conn, std::string_view table,
                                                   ArchiveDay day);

//! The keys of (table, day)'s parts in `store` (the manifest's view of one day's folders).
core::Result<std::set<std::string>> ManifestKeys(pg::Connection& conn, std::string_view table,
                                                 ArchiveDay day, const std::string& store);

//! Inserts one row per exported part.
core::Status InsertManifestRows(pg::Connection& conn, std::string_view table, ArchiveDay day,
                                const std::string& store, const std::string& codec,
                                const std::vector<ExportedPart>& parts);

//! A manifest row as `restore` reads it.
struct ManifestPart {
  std::string site_id;
  int part = 0;
  std::string key;
  std::string store;
  std::uint64_t rows = 0;
  std::uint64_t bytes = 0;
  std::string sha256_hex;
};

//! The days of `table` in [from, to] that have parts, in any store (oldest first).
core::Result<std::vector<ArchiveDay>> ArchivedDays(pg::Connection& conn, std::string_view table,
                                                   ArchiveDay from, ArchiveDay to);

//! Every part of (table, day), in any store, by site and part number.
core::Result<std::vector<ManifestPart>> DayParts(pg::Connection& conn, std::string_view table,
                                                 ArchiveDay day);

//! Deletes the manifest rows of (table, day) (their rows are hot again: restore).
core::Status DeleteManifestDay(pg::Connection& conn, std::string_view table, ArchiveDay day);

//! Keeps (table, day) hot until now + `hold` (archive_hold; a later hold replaces it).
core::Status HoldDay(pg::Connection& conn, std::string_view table, ArchiveDay day,
                     std::chrono::hours hold);

struct RunRecord {
  core::Micros started_at = 0;
  core::Micros finished_at = 0;
  bool ok = false;
  int parts = 0;
  std::uint64_t rows = 0;
  std::uint64_t bytes = 0;
  std::string error;  // empty when ok
};

//! Appends a run and keeps only the latest kKeptRuns.
core::Status RecordRun(pg::Connection& conn, const RunRecord& run);

}  // namespace dataplane::archiver
