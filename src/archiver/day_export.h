#pragma once
// Step 1 of archiving one (table, day): the rows that leave (archived_table.h) are read in one
// REPEATABLE READ snapshot, shared by up to `streams` connections (pg_export_snapshot), each
// streaming one equal stretch of the day's time range by a `COPY (SELECT …) TO STDOUT (FORMAT
// binary)` (the servers produce rows while this process encodes the ones it has), and written as
// one Parquet file per site and stream into the store's staging paths (object_store.h), row group
// by row group: memory holds one row group per file and a bounded queue of rows read ahead,
// whatever the size of the day.
//
// What the export returns is what the removal step rechecks under a lock before any row leaves:
// the number of rows and, for state tables, the sum of their event_count (every event that
// changes a state row raises it), so a row that arrived or changed after the snapshot makes the
// removal refuse and the next run export again.
//
// Part numbers continue the manifest's: `first_parts` maps a site to its next part number for
// this (table, day) (a site not in it starts at 0); with several streams a site gets one part per
// stream that read rows of it, numbered in time order. On any failure every staged file is
// deleted.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "archiver/archive_day.h"
#include "archiver/archived_table.h"
#include "archiver/object_store.h"
#include "archiver/table_columns.h"
#include "core/error.h"
#include "parquet/file_writer.h"
#include "pg/connection.h"

namespace dataplane::archiver {

struct ExportSettings {
  parquet::Codec codec = parquet::Codec::kZstd;
  std::size_t row_group_rows = 64 * 1024;
  std::string prefix;  // S3_PREFIX, normalized (object_key.h)
  int max_sites = 64;  // more sites in one day's rows is refused (one open file each)
  //! ARCHIVE_EXPORT_STREAMS: connections that read a day's rows at once (1..8), each a stretch
  //! of the day; the server's output of rows (jsonb to text above all) is the export's bottleneck.
  int streams = 2;
  //! A day gets a stream (and part file per site) for each this many rows the planner estimates;
  //! 0: every day gets `streams` streams.
  std::size_t rows_per_stream = 250'000;
};

struct ExportedPart {
  std::string site_id;
  int part = 0;
  std::string key;
  StagedFileInfo file;
  std::uint64_t rows = 0;
  core::Micros min_at = 0;  // the range of the table's time column in the part
  core::Micros max_at = 0;
};

struct DayExport {
  std::vector<ExportedPart> parts;  // by site id
  std::uint64_t rows = 0;
  std::int64_t event_count_sum = 0;  // state tables; 0 for event
};

//! `conns` (at least one) stream shares of the rows at once, in one snapshot: the first is the
//! run's, the others are free sessions on the same database (ExportSettings::streams).
core::Result<DayExport> ExportDay(const std::vector<pg::Connection*>& conns,
                                  const ArchivedTable& table, const TableLayout& layout,
                                  ArchiveDay day, core::Micros cutoff,
                                  const std::map<std::string, int>& first_parts, ObjectStore& store,
                                  const ExportSettings& settings);

//! Deletes the staged files of `parts` (after a failure, or once they are stored).
void DiscardStaged(const std::vector<ExportedPart>& parts);

//! Parquet codec names as ARCHIVE_CODEC spells them: zstd, snappy, none.
std::string CodecName(parquet::Codec codec);

}  // namespace dataplane::archiver
