#pragma once
// ColumnChunkWriter: encodes the values of one column for the current row group into data pages
// V1 (and a dictionary page), compressed, ready to be written as one column chunk.
//
// Values arrive one per row (Add*, AddNull); a data page is cut when its estimated encoded size
// reaches `page_bytes`. A page is [definition levels: 4-byte LE length + RLE hybrid, bit width
// 1, OPTIONAL columns only][values: PLAIN, or for dictionary pages the index bit width in one
// byte then the RLE hybrid indices]. With `dictionary` (BYTE_ARRAY only), values go through a
// ByteArrayDictionary; when it would grow past `max_dictionary_bytes` the current page is cut
// and the rest of the chunk is PLAIN. A page holding no non-null value is always PLAIN, and the
// dictionary page is written only when the dictionary holds a value.
//
// Finish(chunk_offset) returns the chunk's bytes (dictionary page, then data pages, each with
// its PageHeader), its ColumnMetaData and the page index entries of its data pages (location,
// first row, null count, bounds) with absolute offsets, then resets for the next row group. A
// compression failure is kept and returned by Finish. Add* calls must match the physical type (the
// FileWriter checks it). Not thread-safe.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "parquet/byte_array_dictionary.h"
#include "parquet/column_statistics.h"
#include "parquet/file_writer.h"
#include "parquet/page_index.h"
#include "parquet/parquet_metadata.h"
#include "parquet/plain_encoder.h"
#include "parquet/rle_hybrid_encoder.h"

namespace dataplane::parquet {

struct ColumnChunkOptions {
  std::string name;
  PhysicalType type = PhysicalType::kByteArray;
  bool nullable = true;
  bool dictionary = false;
  Codec codec = Codec::kUncompressed;
  int zstd_level = 3;
  std::size_t page_bytes = 1024 * 1024;
  std::size_t max_dictionary_bytes = 1024 * 1024;
};

struct EncodedChunk {
  std::string dictionary_page;  // header + data; empty when the chunk has no dictionary page
  std::string data_pages;       // every data page, header + data, in order
  ColumnMetaData meta_data;
  std::vector<PageIndexEntry> pages;  // per data page, absolute offsets (page_index.h)
};

class ColumnChunkWriter {
 public:
  explicit ColumnChunkWriter(ColumnChunkOptions options);

  void AddNull();
  void AddInt32(std::int32_t value);
  void AddInt64(std::int64_t value);
  void AddDouble(double value);
  void AddBool(bool value);
  void AddBytes(std::string_view value);  // BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY

  //! The chunk written since the last Finish, to be placed at file offset `chunk_offset`.
  core::Result<EncodedChunk> Finish(std::int64_t chunk_offset);

 private:
  void AddDefined();
  void AddDictionaryValue(std::string_view value);
  void MaybeCutPage();
  std::size_t EstimatedPageBytes() const;
  void CutPage();
  std::string PageValues(Encoding encoding);
  void AppendPage(PageHeader header, std::string_view raw, std::string& out);
  //! The page index entry of the data page just appended at `page_start` of data_pages_.
  void RecordPage(std::size_t page_start);
  void Reset();

  ColumnChunkOptions options_;
  // The page being filled.
  RleHybridEncoder definition_levels_{1};
  std::string plain_values_;
  BooleanPacker booleans_;
  std::vector<std::uint32_t> indices_;  // encoded when the page is cut, at the width then
  std::int32_t page_values_ = 0;        // including nulls
  // The chunk being filled.
  ByteArrayDictionary dictionary_;
  bool fell_back_ = false;
  std::string data_pages_;
  StatisticsCollector statistics_;
  StatisticsCollector page_statistics_;  // of the page being filled, for the page index
  std::vector<PageIndexEntry> pages_;    // offsets relative to the first data page
  std::int64_t num_values_ = 0;
  std::int64_t uncompressed_bytes_ = 0;
  std::int64_t compressed_bytes_ = 0;
  bool used_plain_ = false;
  bool used_dictionary_ = false;
  core::Status status_ = core::OkStatus();
};

}  // namespace dataplane::parquet
