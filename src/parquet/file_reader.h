#pragma once
// parquet::FileReader: reads back the Parquet files parquet::FileWriter writes (file_writer.h),
// one row group at a time, from bytes that may be corrupt (an object store's), for
// `dataplane archiver restore`.
//
// Open reads the footer ("PAR1" at both ends, the 4-byte little-endian length of the
// Thrift-compact FileMetaData before the trailing magic), rebuilds the columns from the schema
// (schema_reader.h) and checks the row groups against the file: every row group has one chunk
// per column, of the schema's physical type and path, one value per row, inside the file, and
// the row groups' rows add up to num_rows. ReadRowGroup then reads each column chunk with one
// ReadAt and decodes its pages (column_chunk_reader.h); the values come back one entry per row
// (column_data.h).
//
// Scope: a flat schema (a root and its leaf columns), data pages V1 and dictionary pages, PLAIN
// and RLE_DICTIONARY values, codecs none, snappy and zstd — what the writer writes.
//
// Errors, never exceptions or crashes on bad bytes: a file that is not such a Parquet file
// (truncated, bad magic, a metadata length past the file, inconsistent metadata or pages) is
// kMalformed (code "malformed_parquet"); a valid file using a feature out of scope (nested or
// REPEATED columns, DATA_PAGE_V2, another codec, encoding or logical type) is kInvalidInput
// (code "unsupported_parquet"); a footer over kMaxFooterBytes, a column chunk over
// kMaxChunkBytes or a row group that would decode to more than kMaxRowGroupBytes is kTooLarge
// (code "parquet_too_large"); the source's own errors pass through. Errors of ReadRowGroup name
// the row group and the column. Memory: the footer, one column chunk's bytes and one page at a
// time, plus the row group being returned.
//
// The reader keeps a reference to `source`, which must outlive it. Not thread-safe: one reader,
// one thread (distinct readers over distinct sources are independent).
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "parquet/column_chunk_reader.h"
#include "parquet/column_data.h"
#include "parquet/file_writer.h"
#include "parquet/parquet_metadata.h"
#include "parquet/random_access_source.h"

namespace dataplane::parquet {

class FileReader {
 public:
  static constexpr std::size_t kMaxFooterBytes = 16u << 20;
  static constexpr std::size_t kMaxChunkBytes = 512u << 20;
  static constexpr std::size_t kMaxRowGroupBytes = std::size_t{1} << 30;

  //! Reads and checks the footer of the file in `source`.
  static core::Result<FileReader> Open(RandomAccessSource& source);

  //! The file's columns in schema order; `dictionary` is always false.
  const std::vector<ColumnSpec>& columns() const { return columns_; }
  std::int64_t num_rows() const { return metadata_.num_rows; }
  int num_row_groups() const { return static_cast<int>(metadata_.row_groups.size()); }
  //! Rows of row group `index`; throws std::out_of_range unless 0 <= index < num_row_groups().
  std::int64_t row_group_rows(int index) const { return metadata_.row_groups.at(index).num_rows; }
  //! FileMetaData.key_value_metadata, in file order.
  const std::vector<std::pair<std::string, std::string>>& key_value_metadata() const {
    return key_value_metadata_;
  }
  const std::string& created_by() const { return metadata_.created_by; }

  //! Every value of row group `index`; kInvalidInput (code "no_row_group") when out of range.
  core::Result<RowGroupData> ReadRowGroup(int index);

 private:
  FileReader(RandomAccessSource& source, FileMetaData metadata, std::vector<ColumnSpec> columns);

  core::Status CheckRowGroups(std::int64_t footer_offset) const;
  core::Status CheckChunk(const ColumnMetaData& chunk, std::size_t column, std::int64_t rows,
                          std::int64_t footer_offset) const;
  core::Result<ColumnData> ReadChunk(const ColumnMetaData& chunk, std::size_t column,
                                     std::size_t rows, MemoryBudget& budget);

  RandomAccessSource* source_;
  FileMetaData metadata_;
  std::vector<ColumnSpec> columns_;
  std::vector<ChunkFormat> formats_;  // one per column, without the codec
  std::vector<std::pair<std::string, std::string>> key_value_metadata_;
};

}  // namespace dataplane::parquet
