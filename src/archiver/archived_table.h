#pragma once
// The three hot tables the archiver moves to Parquet, and the rule that says which of a day's
// rows leave (SPEC §5, docs/archiver.md "What leaves the hot tables").
//
// A row belongs to the UTC day of its table's time column: `event.at`, the `anchor_at` of
// `job` and `subjob` (a subjob lives at its job's anchor, so a job and its subjobs share a day).
//   - event is history: every row of a day leaves, and the day's partition or chunk is dropped.
//   - job and subjob are current state: only rows that are terminal (status other than
//     `running`) and quiet (last event before the cutoff) leave; an open job stays hot with its
//     current state, its later events keep updating that one row, and it leaves on a later run
//     once it has ended, as a further part of its day.
#include <string>
#include <string_view>
#include <vector>

#include "archiver/archive_day.h"
#include "pg/connection.h"

namespace dataplane::archiver {

enum class RowRule {
  kWholeDay,       // history: every row of the day
  kTerminalQuiet,  // state: terminal rows whose last event is older than the cutoff
};

struct ArchivedTable {
  std::string_view name;
  std::string_view time_column;
  RowRule rule;
  //! Low-cardinality text columns, written with a Parquet dictionary.
  std::vector<std::string_view> dictionary_columns;
  //! Text columns looked up by value (keys), written with a Bloom filter per row group. Not the
  //! uuid ids: DuckDB neither writes nor probes Bloom filters of UUID columns
  //! (tests/parquet/FINDINGS.md), and those readers are what the archive is read with.
  std::vector<std::string_view> bloom_columns;
  //! The columns that identify a row (the state tables' primary key; an event's idempotency key
  //! and time): `restore` puts back only the archived rows the hot table does not hold.
  std::vector<std::string_view> identity_columns;
};

//! event, job, subjob, in that order.
const std::vector<ArchivedTable>& ArchivedTables();
//! The table of that name, or nullptr.
const ArchivedTable* FindArchivedTable(std::string_view name);

//! The SQL condition selecting the rows of one day that leave: $1 is the day's start, $2 the
//! next day's start (timestamptz), $3 the cutoff (used by kTerminalQuiet only, but always bound).
std::string LeavingRows(const ArchivedTable& table);
//! The parameters $1..$3 of LeavingRows.
pg::Params LeavingRowsParams(ArchiveDay day, core::Micros cutoff);

}  // namespace dataplane::archiver
