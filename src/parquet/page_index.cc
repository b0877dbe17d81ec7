#include "parquet/page_index.h"

#include "parquet/thrift_compact_writer.h"

namespace dataplane::parquet {
namespace {

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The longest prefix of at most kMaxIndexBound bytes that ends at a UTF-8 character boundary.
std::size_t PrefixLength(std::string_view value) {
  std::size_t length = kMaxIndexBound;
  while (length > 0 && IsContinuationByte(value[length])) --length;
  return length;
}

}  // namespace

std::string IndexMin(PhysicalType type, std::string value) {
  if (type != PhysicalType::kByteArray || value.size() <= kMaxIndexBound) return value;
  value.resize(PrefixLength(value));
  return value;
}

std::string IndexMax(PhysicalType type, std::string value) {
  if (type != PhysicalType::kByteArray || value.size() <= kMaxIndexBound) return value;
  for (std::size_t end = PrefixLength(value); end > 0; --end) {
    const auto byte = static_cast<unsigned char>(value[end - 1]);
    if (byte < 0x7F) {
      std::string bound = value.substr(0, end);
      bound.back() = static_cast<char>(byte + 1);
      return bound;
    }
  }
  return value;
}

// ColumnIndex {1: list<bool> null_pages, 2: list<binary> min_values, 3: list<binary>
// max_values, 4: BoundaryOrder boundary_order, 5: list<i64> null_counts}.
std::string SerializeColumnIndex(const std::vector<PageIndexEntry>& pages) {
  ThriftCompactWriter w;
  w.BeginStruct();
  w.FieldList(1, CompactType::kBoolTrue, pages.size());
  for (const PageIndexEntry& page : pages) w.ListBool(page.null_page);
  w.FieldList(2, CompactType::kBinary, pages.size());
  for (const PageIndexEntry& page : pages) w.ListBinary(page.min_value);
  w.FieldList(3, CompactType::kBinary, pages.size());
  for (const PageIndexEntry& page : pages) w.ListBinary(page.max_value);
  w.FieldI32(4, 0);  // UNORDERED
  w.FieldList(5, CompactType::kI64, pages.size());
  for (const PageIndexEntry& page : pages) w.ListI64(page.null_count);
  w.EndStruct();
  return w.Take();
}

// OffsetIndex {1: list<PageLocation {1: i64 offset, 2: i32 compressed_page_size,
// 3: i64 first_row_index}> page_locations}.
std::string SerializeOffsetIndex(const std::vector<PageIndexEntry>& pages) {
  ThriftCompactWriter w;
  w.BeginStruct();
  w.FieldList(1, CompactType::kStruct, pages.size());
  for (const PageIndexEntry& page : pages) {
    w.BeginStruct();
    w.FieldI64(1, page.offset);
    w.FieldI32(2, page.compressed_page_size);
    w.FieldI64(3, page.first_row_index);
    w.EndStruct();
  }
  w.EndStruct();
  return w.Take();
}

}  // namespace dataplane::parquet
