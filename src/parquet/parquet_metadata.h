#pragma once
// The Parquet metadata structures dataplane writes (parquet.thrift of the Apache Parquet
// format), as plain structs, and their Thrift compact serialization. Only the fields the writer
// fills exist here; optional Thrift fields are std::optional (or an empty list) and are left out
// of the encoding when unset. Serialization cannot fail and does not validate: the column chunk
// and file writers are responsible for consistent values. Field ids are those of parquet.thrift.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dataplane::parquet {

// Enum values are the wire values of parquet.thrift.
enum class PhysicalType : std::int32_t {
  kBoolean = 0,
  kInt32 = 1,
  kInt64 = 2,
  kDouble = 5,
  kByteArray = 6,
  kFixedLenByteArray = 7,
};
enum class Encoding : std::int32_t { kPlain = 0, kRle = 3, kRleDictionary = 8 };
enum class CompressionCodec : std::int32_t { kUncompressed = 0, kSnappy = 1, kZstd = 6 };
enum class PageType : std::int32_t { kDataPage = 0, kDictionaryPage = 2 };
enum class Repetition : std::int32_t { kRequired = 0, kOptional = 1 };
enum class ConvertedType : std::int32_t { kUtf8 = 0, kTimestampMicros = 10, kJson = 19 };
//! The LogicalType union members we use; kTimestampMicrosUtc is TIMESTAMP(true, MICROS).
enum class LogicalKind { kNone, kString, kJson, kUuid, kTimestampMicrosUtc };

struct Statistics {
  std::optional<std::int64_t> null_count;
  std::optional<std::string> min_value;  // PLAIN bytes, without a length prefix for BYTE_ARRAY
  std::optional<std::string> max_value;
};

struct DataPageHeader {
  std::int32_t num_values = 0;  // including nulls
  Encoding encoding = Encoding::kPlain;
  Encoding definition_level_encoding = Encoding::kRle;
  Encoding repetition_level_encoding = Encoding::kRle;
};

struct DictionaryPageHeader {
  std::int32_t num_values = 0;
  Encoding encoding = Encoding::kPlain;
};

struct PageHeader {
  PageType type = PageType::kDataPage;
  std::int32_t uncompressed_page_size = 0;  // excluding this header
  std::int32_t compressed_page_size = 0;    // excluding this header
  std::optional<DataPageHeader> data_page_header;
  std::optional<DictionaryPageHeader> dictionary_page_header;
};

struct KeyValue {
  std::string key;
  std::string value;
};

struct SchemaElement {
  std::optional<PhysicalType> type;  // unset for the root (group) element
  std::optional<std::int32_t> type_length;
  std::optional<Repetition> repetition_type;  // unset for the root
  std::string name;
  std::optional<std::int32_t> num_children;  // the root only
  std::optional<ConvertedType> converted_type;
  LogicalKind logical_type = LogicalKind::kNone;
};

struct ColumnMetaData {
  PhysicalType type = PhysicalType::kInt64;
  std::vector<Encoding> encodings;
  std::vector<std::string> path_in_schema;
  CompressionCodec codec = CompressionCodec::kUncompressed;
  std::int64_t num_values = 0;               // including nulls
  std::int64_t total_uncompressed_size = 0;  // all pages, headers included
  std::int64_t total_compressed_size = 0;    // all pages, headers included
  std::int64_t data_page_offset = 0;         // absolute file offset of the first data page
  std::optional<std::int64_t> dictionary_page_offset;
  Statistics statistics;
  std::optional<std::int64_t> bloom_filter_offset;  // absolute offset of its BloomFilterHeader
  std::optional<std::int32_t> bloom_filter_length;  // header and bitset
};

struct ColumnChunk {
  std::int64_t file_offset = 0;  // deprecated by the format: 0 when no metadata outside the footer
  ColumnMetaData meta_data;
  // Where the chunk's page index is (page_index.h): set when the file has one.
  std::optional<std::int64_t> offset_index_offset;
  std::optional<std::int32_t> offset_index_length;
  std::optional<std::int64_t> column_index_offset;
  std::optional<std::int32_t> column_index_length;
};

struct RowGroup {
  std::vector<ColumnChunk> columns;
  std::int64_t total_byte_size = 0;  // sum of the chunks' total_uncompressed_size
  std::int64_t num_rows = 0;
  std::int64_t file_offset = 0;  // first page of the first column chunk
  std::int64_t total_compressed_size = 0;
};

struct FileMetaData {
  std::int32_t version = 2;
  std::vector<SchemaElement> schema;  // the root first, then one leaf per column
  std::int64_t num_rows = 0;
  std::vector<RowGroup> row_groups;
  std::vector<KeyValue> key_value_metadata;  // left out when empty
  std::string created_by;
  //! Writes column_orders with TYPE_ORDER for every leaf, so that readers know min_value /
  //! max_value follow the type's sort order (unsigned bytes for strings).
  bool type_defined_column_orders = true;
};

//! The compact-protocol bytes of a PageHeader, to be written right before the page's data.
std::string SerializePageHeader(const PageHeader& header);
//! The compact-protocol bytes of the footer (without its length and the trailing magic).
std::string SerializeFileMetaData(const FileMetaData& metadata);

}  // namespace dataplane::parquet
