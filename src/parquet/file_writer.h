#pragma once
// parquet::FileWriter: writes one Apache Parquet file (format 2.x, as read by DuckDB, Arrow and
// hyparquet) row by row, streaming: rows are buffered per column for the current row group only,
// and each full row group is encoded, compressed and handed to the Sink before the next starts,
// so memory stays flat whatever the number of rows (bounded by one row group).
//
// File layout: "PAR1", then per row group and per column one column chunk (an optional
// dictionary page, then data pages V1 of about WriterOptions::page_bytes each: RLE-encoded
// definition levels for nullable columns, values PLAIN or RLE_DICTIONARY), then the page index
// (page_index.h: every chunk's ColumnIndex, then every OffsetIndex), then the Thrift-compact
// FileMetaData, its 4-byte little-endian length and "PAR1".
//
// Column types and how they are stored (physical type + logical type):
//   kInt64      INT64
//   kInt32      INT32
//   kDouble     DOUBLE
//   kBoolean    BOOLEAN
//   kString     BYTE_ARRAY + STRING (UTF-8; the writer does not check it)
//   kJson       BYTE_ARRAY + JSON   (the text as given)
//   kTimestamp  INT64 + TIMESTAMP(isAdjustedToUTC = true, unit = MICROS), microseconds since the
//               Unix epoch
//   kUuid       FIXED_LEN_BYTE_ARRAY(16) + UUID
// A column with `dictionary` set (strings only: site, status, kind, app) is written with a
// dictionary page and RLE_DICTIONARY data pages; when its dictionary of one row group grows past
// WriterOptions::max_dictionary_bytes the rest of that chunk falls back to PLAIN pages.
// A column with `bloom_filter` set gets, per row group, a split-block Bloom filter of its
// non-null values (bloom_filter.h), placed after the row group's column chunks and named by
// the chunk's bloom_filter_offset / bloom_filter_length.
// Every column chunk carries statistics: null_count, and min_value / max_value when it has a
// non-null value (signed order for numbers and times, unsigned byte order for strings and uuids).
//
// Errors: a Sink failure is returned by the call that wrote (EndRow/Close; the leading magic,
// written by the first Append*, which returns nothing, fails the next EndRow/Close) and the
// writer is then unusable (every later EndRow/Close returns the same error, later values are
// dropped); a programming error (a value of the wrong type for its column, a missing or doubled
// value in a row, NULL in a required column, a column index out of range, a uuid that is not 16
// bytes, any call after a successful Close, an invalid schema in the constructor) throws
// std::logic_error and leaves the writer as it was. Not thread-safe: one writer, one thread.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace dataplane::parquet {

enum class ColumnType { kInt64, kInt32, kDouble, kBoolean, kString, kJson, kTimestamp, kUuid };

struct ColumnSpec {
  std::string name;
  ColumnType type = ColumnType::kString;
  bool nullable = true;     // OPTIONAL (with definition levels) or REQUIRED
  bool dictionary = false;  // RLE_DICTIONARY encoding; only for kString
  //! A split-block Bloom filter per column chunk (bloom_filter.h), written after the row
  //! group's chunks, for readers that skip row groups on equality; not for kBoolean or kDouble.
  bool bloom_filter = false;
};

enum class Codec { kUncompressed, kSnappy, kZstd };

struct WriterOptions {
  Codec codec = Codec::kZstd;
  int zstd_level = 3;
  std::size_t row_group_rows = 128 * 1024;         // a row group is flushed at this many rows
  std::size_t page_bytes = 1024 * 1024;            // a data page is cut at about this many bytes
  std::size_t max_dictionary_bytes = 1024 * 1024;  // past it, a chunk falls back to PLAIN
  double bloom_false_positive_probability = 0.01;  // Bloom filters are sized for it
  // FileMetaData key_value_metadata, in this order (table, site, range, schema version, …).
  std::vector<std::pair<std::string, std::string>> key_value_metadata;
  std::string created_by = "dataplane";  // FileMetaData.created_by
};

//! Where the file's bytes go, in order. Write returns an error to stop the writer.
class Sink {
 public:
  virtual ~Sink() = default;
  virtual core::Status Write(std::string_view bytes) = 0;
};

class FileWriter {
 public:
  //! Writes the leading magic on the first Append or on Close. `columns` must not be empty.
  FileWriter(std::vector<ColumnSpec> columns, WriterOptions options, Sink& sink);
  ~FileWriter();
  FileWriter(const FileWriter&) = delete;
  FileWriter& operator=(const FileWriter&) = delete;

  //! One value of the current row for column `col` (0-based, in ColumnSpec order); each column
  //! gets exactly one value (or null) per row, in any order, then EndRow().
  void AppendNull(int col);
  void AppendInt64(int col, std::int64_t value);  // kInt64 and kTimestamp
  void AppendInt32(int col, std::int32_t value);
  void AppendDouble(int col, double value);
  void AppendBool(int col, bool value);
  void AppendBytes(int col, std::string_view value);  // kString, kJson; kUuid: exactly 16 bytes
  //! Ends the row; writes the row group when it holds WriterOptions::row_group_rows rows.
  core::Status EndRow();
  //! Writes the last (partial) row group and the footer. A file with no rows is valid (no row
  //! groups). After Close the writer accepts nothing more.
  core::Status Close();

  std::uint64_t rows() const;           // rows ended so far
  std::uint64_t bytes_written() const;  // bytes the sink accepted so far (the file's size)
  int row_groups() const;               // row groups written so far

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dataplane::parquet
