#pragma once
// The last step of archiving one (table, day), after every part was stored and verified: one
// transaction that rechecks the hot rows against what was exported, records the parts in the
// manifest and removes the rows — so rows leave the hot tables exactly when their parts are in
// the manifest, and a crash at any point leaves either both or neither.
//
//   event (history, every row of the day):
//     PostgreSQL   LOCK event, then its partition event_pYYYYMMDD, ACCESS EXCLUSIVE (parent
//                  first, the order writers take them); count(*) of the partition must be the
//                  exported count; manifest rows; DROP the partition.
//     TimescaleDB  LOCK the day's chunks SHARE ROW EXCLUSIVE (writers wait, readers do not);
//                  count(*) of the day must be the exported count; manifest rows;
//                  drop_chunks over the day, then DELETE whatever of the day a chunk not aligned
//                  on it still holds.
//   job, subjob (state, terminal and quiet rows only), both backends:
//     DELETE … WHERE LeavingRows RETURNING event_count; the number of rows and the sum of
//     event_count must be the exported ones (a row that changed after the export's snapshot
//     raised its event_count, one that ended since is an extra row); manifest rows.
// A mismatch rolls back and answers kChanged: nothing left, the caller exports the day again.
// Locks wait at most `lock_timeout`; a lock timeout or a deadlock rolls back and is retried
// with backoff, up to `attempts` times, then returned as the kUnavailable error it is.
#include <chrono>
#include <string>
#include <vector>

#include "archiver/archive_day.h"
#include "archiver/archived_table.h"
#include "archiver/day_export.h"
#include "core/error.h"
#include "pg/connection.h"

namespace dataplane::archiver {

enum class Backend { kPostgres, kTimescaleDb };

enum class RemovalOutcome { kRemoved, kChanged };

struct RemovalSettings {
  std::chrono::milliseconds lock_timeout{2000};
  int attempts = 5;
  std::chrono::milliseconds first_backoff{200};
};

struct RemovalRequest {
  const ArchivedTable* table = nullptr;
  Backend backend = Backend::kPostgres;
  ArchiveDay day;
  core::Micros cutoff = 0;
  std::string store;  // ObjectStore::Location()
  std::string codec;  // CodecName()
  const DayExport* exported = nullptr;
};

core::Result<RemovalOutcome> RemoveArchivedRows(pg::Connection& conn, const RemovalRequest& request,
                                                const RemovalSettings& settings = {});

//! The name of a day's native partition: "{table}_pYYYYMMDD".
std::string PartitionName(std::string_view table, ArchiveDay day);

//! "schema"."chunk" of every TimescaleDB chunk of `table` overlapping `day`.
core::Result<std::vector<std::string>> DayChunks(pg::Connection& conn, std::string_view table,
                                                 ArchiveDay day);

//! Drops `day`'s partition (PostgreSQL) or chunks (TimescaleDB) of a state table once it holds
//! no row, so that old days do not cost every query a relation to open. Best effort: a lock it
//! cannot get at once, or a row that is there, leaves the day as it is. True when it dropped.
core::Result<bool> DropEmptyDay(pg::Connection& conn, const ArchivedTable& table, Backend backend,
                                ArchiveDay day, const RemovalSettings& settings = {});

}  // namespace dataplane::archiver
