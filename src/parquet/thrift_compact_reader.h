#pragma once
// ThriftCompactReader: decodes Thrift compact-protocol bytes (the encoding of Parquet's
// FileMetaData and PageHeader) from a buffer it does not own, bounded for untrusted input.
//
// The caller drives the decoding: ReadStruct calls `on_field(id, type)` for each field until the
// stop byte, and the handler reads the value with the Read* call of that type or drops it with
// Skip(type) (a bool field has its value in `type` and nothing to read). Skip drops a value of
// any type, nested lists, sets, maps and structs included.
//
// Every call returns an Error (kMalformed, code "malformed_parquet") instead of reading past the
// end of the buffer: on a truncated or too long varint, an integer out of its type's range, an
// unknown type nibble, structs nested deeper than kMaxDepth, or a list, set, map or binary whose
// size passes the bytes that remain (each element takes at least one byte). After an error the
// position is unspecified and the reader should be dropped. Not thread-safe; `bytes` must
// outlive the reader and the string_views it returns.
#include <cstdint>
#include <functional>
#include <string_view>

#include "core/error.h"
#include "parquet/thrift_compact_writer.h"

namespace dataplane::parquet {

class ThriftCompactReader {
 public:
  static constexpr int kMaxDepth = 32;  // structs and containers nested in each other

  struct ListHeader {
    CompactType element_type = CompactType::kByte;
    std::uint32_t size = 0;  // validated: at most the bytes that remain
  };

  using FieldHandler = std::function<core::Status(std::int16_t id, CompactType type)>;

  explicit ThriftCompactReader(std::string_view bytes) : bytes_(bytes) {}

  //! Reads one struct, calling `on_field` per field; the first error (its own or the
  //! handler's) ends it.
  core::Status ReadStruct(const FieldHandler& on_field);

  core::Result<std::int32_t> ReadI32();  // also i16 and the wire value of enums
  core::Result<std::int64_t> ReadI64();
  core::Result<std::string_view> ReadBinary();
  //! The header of a list or set; its `size` elements follow.
  core::Result<ListHeader> ReadListHeader();
  //! The value of a bool element of a list (in a struct, the field header carries it).
  core::Result<bool> ReadListBool();
  //! Drops one field value of `type`.
  core::Status Skip(CompactType type) { return SkipValue(type, /*in_list=*/false); }

  //! True for the type nibble of a `true` bool field.
  static bool BoolFieldValue(CompactType type) { return type == CompactType::kBoolTrue; }

  std::size_t position() const { return pos_; }
  std::size_t remaining() const { return bytes_.size() - pos_; }

 private:
  core::Result<std::uint8_t> ReadByte();
  core::Result<std::uint64_t> ReadVarint();
  core::Result<CompactType> TypeOf(std::uint8_t nibble) const;
  core::Status SkipValue(CompactType type, bool in_list);
  core::Status SkipList();
  core::Status SkipMap();

  std::string_view bytes_;
  std::size_t pos_ = 0;
  int depth_ = 0;  // structs and containers being read
};

}  // namespace dataplane::parquet
