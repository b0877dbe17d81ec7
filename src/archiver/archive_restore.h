#pragma once
// `dataplane archiver restore` (docs/archiver.md "Restore"): the archived rows of one table's
// days [from, to] back into the hot tables, one transaction per day, idempotent.
//
// Holding the archiver lock (archiver_run.h; refused with kUnavailable while a run or another
// restore holds it), for each archived day of the range, oldest first:
//   1. fetch  every part of the day (manifest.h) from the store into the staging folder, and
//             check it: its size and SHA-256 must be the manifest's, or nothing of the day is
//             restored (kInternal, naming the key: the store does not hold what was recorded);
//   2. load   in one transaction: the day's partition is created if missing, each part is read
//             row group by row group (parquet/file_reader.h, restore_rows.h) and COPYed into a
//             temporary table, and the rows the hot table does not already hold (by
//             ArchivedTable::identity_columns) are inserted; the day's manifest rows are deleted
//             and archive_hold keeps the day hot for `hold` (the archiver skips it until then,
//             and later archives it again as new parts); commit;
//   3. delete the day's objects from the store, best effort: one left behind has no manifest
//             row, and the next run of that day overwrites or deletes it.
// A failure or a crash before the commit leaves the day archived as it was; after the commit,
// its rows are hot and held. A part recorded in another store than `store` (ARCHIVE_DIR or the
// bucket changed since it was written) is refused (kInvalidInput, naming the store). Restoring
// the same range again finds nothing archived and does nothing. Memory holds one row group.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "archiver/archive_day.h"
#include "archiver/archived_table.h"
#include "archiver/object_store.h"
#include "core/error.h"
#include "pg/connection.h"

namespace dataplane::archiver {

struct RestoreRequest {
  const ArchivedTable* table = nullptr;
  ArchiveDay from;
  ArchiveDay to;  // inclusive
  std::chrono::hours hold{168};
  std::string staging_dir = "/tmp";  // where fetched parts are read from
  std::chrono::milliseconds lock_timeout{10000};
};

struct RestoredDay {
  ArchiveDay day;
  int parts = 0;
  std::uint64_t archived_rows = 0;  // read from the parts
  std::uint64_t inserted_rows = 0;  // of those, the ones the hot table did not hold
};

struct RestoreSummary {
  std::vector<RestoredDay> days;
  std::uint64_t archived_rows = 0;
  std::uint64_t inserted_rows = 0;
};

core::Result<RestoreSummary> RestoreArchive(pg::Connection& conn, ObjectStore& store,
                                            const RestoreRequest& request);

}  // namespace dataplane::archiver
