#pragma once
// ThriftCompactWriter: encodes Thrift structs in the compact protocol into an in-memory buffer,
// the encoding of every Parquet metadata structure (PageHeader, FileMetaData).
//
// The caller drives the nesting: BeginStruct() (a top-level struct or a list element) or
// FieldStruct(id) opens a struct, EndStruct() writes its stop byte. Field headers use the short
// form (id delta 1..15 from the previous field of the same struct) and the long form otherwise.
// Integers are zigzag varints, binaries a varint length then the bytes, bools live in the field
// header. Encoding cannot fail; EndStruct without an open struct, or a field outside any struct,
// is a programming error and throws std::logic_error (list element counts are not checked).
// Not thread-safe; the buffer belongs to the writer until Take().
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dataplane::parquet {

//! Compact protocol element types (the 4-bit type nibble of field and list headers).
enum class CompactType : std::uint8_t {
  kBoolTrue = 1,
  kBoolFalse = 2,
  kByte = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,
};

class ThriftCompactWriter {
 public:
  //! Opens a struct that is not a field: the top-level struct or an element of a list.
  void BeginStruct();
  //! Writes the stop byte of the innermost open struct and closes it.
  void EndStruct();

  void FieldI32(std::int16_t id, std::int32_t value);
  void FieldI64(std::int16_t id, std::int64_t value);
  void FieldBinary(std::int16_t id, std::string_view value);
  void FieldBool(std::int16_t id, bool value);
  //! A struct-valued (or union-valued) field; close it with EndStruct().
  void FieldStruct(std::int16_t id);
  //! A list-valued field of `size` elements of `element_type`; the caller then writes exactly
  //! `size` elements with the List* calls (or BeginStruct/EndStruct for struct elements).
  void FieldList(std::int16_t id, CompactType element_type, std::size_t size);

  void ListI32(std::int32_t value);
  void ListI64(std::int64_t value);
  //! A bool element (of a list declared kBoolTrue): one byte, 1 for true, 2 for false.
  void ListBool(bool value);
  void ListBinary(std::string_view value);

  const std::string& bytes() const { return out_; }
  //! Moves the encoded bytes out; the writer is then empty.
  std::string Take();

  // The raw integer encodings, shared with the tests and the RLE hybrid encoder.
  static void AppendVarint(std::uint64_t value, std::string& out);
  static std::uint32_t ZigZag32(std::int32_t value);
  static std::uint64_t ZigZag64(std::int64_t value);

 private:
  void FieldHeader(std::int16_t id, CompactType type);

  std::string out_;
  std::vector<std::int16_t> last_field_ids_;  // one per open struct, innermost last
};

}  // namespace dataplane::parquet
