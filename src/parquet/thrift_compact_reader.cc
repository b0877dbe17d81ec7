#include "parquet/thrift_compact_reader.h"

#include <limits>
#include <string>

#include "parquet/reader_error.h"

namespace dataplane::parquet {
namespace {

constexpr int kMaxVarintBytes = 10;

core::Error Truncated() { return MalformedParquet("thrift: truncated"); }

std::int64_t UnZigZag(std::uint64_t n) {
  return static_cast<std::int64_t>(n >> 1) ^ -static_cast<std::int64_t>(n & 1);
}

// Keeps the depth of the ReadStruct calls in progress, also when a handler returns early.
class DepthGuard {
 public:
  explicit DepthGuard(int& depth) : depth_(depth) { ++depth_; }
  ~DepthGuard() { --depth_; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;

 private:
  int& depth_;
};

}  // namespace

core::Result<std::uint8_t> ThriftCompactReader::ReadByte() {
  if (pos_ >= bytes_.size()) return Truncated();
  return static_cast<std::uint8_t>(bytes_[pos_++]);
}

core::Result<std::uint64_t> ThriftCompactReader::ReadVarint() {
  std::uint64_t value = 0;
  for (int i = 0; i < kMaxVarintBytes; ++i) {
    core::Result<std::uint8_t> byte = ReadByte();
    if (!byte) return byte.error();
    if (i == kMaxVarintBytes - 1 && *byte > 1) break;  // more than 64 bits
    value |= static_cast<std::uint64_t>(*byte & 0x7F) << (7 * i);
    if ((*byte & 0x80) == 0) return value;
  }
  return MalformedParquet("thrift: varint longer than 64 bits");
}

core::Result<CompactType> ThriftCompactReader::TypeOf(std::uint8_t nibble) const {
  if (nibble < static_cast<std::uint8_t>(CompactType::kBoolTrue) ||
      nibble > static_cast<std::uint8_t>(CompactType::kStruct)) {
    return MalformedParquet("thrift: unknown type " + std::to_string(nibble));
  }
  return static_cast<CompactType>(nibble);
}

core::Result<std::int32_t> ThriftCompactReader::ReadI32() {
  core::Result<std::uint64_t> raw = ReadVarint();
  if (!raw) return raw.error();
  if (*raw > std::numeric_limits<std::uint32_t>::max()) {
    return MalformedParquet("thrift: i32 out of range");
  }
  return static_cast<std::int32_t>(UnZigZag(*raw));
}

core::Result<std::int64_t> ThriftCompactReader::ReadI64() {
  core::Result<std::uint64_t> raw = ReadVarint();
  if (!raw) return raw.error();
  return UnZigZag(*raw);
}

core::Result<std::string_view> ThriftCompactReader::ReadBinary() {
  core::Result<std::uint64_t> size = ReadVarint();
  if (!size) return size.error();
  if (*size > remaining()) return MalformedParquet("thrift: binary passes the end");
  const std::string_view value = bytes_.substr(pos_, static_cast<std::size_t>(*size));
  pos_ += value.size();
  return value;
}

core::Result<ThriftCompactReader::ListHeader> ThriftCompactReader::ReadListHeader() {
  core::Result<std::uint8_t> header = ReadByte();
  if (!header) return header.error();
  core::Result<CompactType> type = TypeOf(*header & 0x0F);
  if (!type) return type.error();
  std::uint64_t size = *header >> 4;
  if (size == 15) {
    core::Result<std::uint64_t> long_size = ReadVarint();
    if (!long_size) return long_size.error();
    size = *long_size;
  }
  if (size > remaining()) return MalformedParquet("thrift: list longer than its bytes");
  return ListHeader{*type, static_cast<std::uint32_t>(size)};
}

core::Result<bool> ThriftCompactReader::ReadListBool() {
  core::Result<std::uint8_t> byte = ReadByte();
  if (!byte) return byte.error();
  return *byte == static_cast<std::uint8_t>(CompactType::kBoolTrue);
}

core::Status ThriftCompactReader::ReadStruct(const FieldHandler& on_field) {
  if (depth_ >= kMaxDepth) return MalformedParquet("thrift: values nested too deep");
  DepthGuard guard(depth_);
  std::int16_t last_id = 0;
  for (;;) {
    core::Result<std::uint8_t> header = ReadByte();
    if (!header) return header.error();
    if (*header == 0) return core::OkStatus();
    core::Result<CompactType> type = TypeOf(*header & 0x0F);
    if (!type) return type.error();
    std::int32_t id = last_id + (*header >> 4);
    if ((*header >> 4) == 0) {
      core::Result<std::int32_t> long_id = ReadI32();
      if (!long_id) return long_id.error();
      id = *long_id;
    }
    if (id < std::numeric_limits<std::int16_t>::min() ||
        id > std::numeric_limits<std::int16_t>::max()) {
      return MalformedParquet("thrift: field id out of range");
    }
    last_id = static_cast<std::int16_t>(id);
    if (core::Status handled = on_field(last_id, *type); !handled) return handled;
  }
}

core::Status ThriftCompactReader::SkipValue(CompactType type, bool in_list) {
  switch (type) {
    case CompactType::kBoolTrue:
    case CompactType::kBoolFalse:
      if (!in_list) return core::OkStatus();
      [[fallthrough]];
    case CompactType::kByte:
      if (core::Result<std::uint8_t> byte = ReadByte(); !byte) return byte.error();
      return core::OkStatus();
    case CompactType::kI16:
    case CompactType::kI32:
    case CompactType::kI64:
      if (core::Result<std::uint64_t> varint = ReadVarint(); !varint) return varint.error();
      return core::OkStatus();
    case CompactType::kDouble:
      if (remaining() < 8) return Truncated();
      pos_ += 8;
      return core::OkStatus();
    case CompactType::kBinary:
      if (core::Result<std::string_view> value = ReadBinary(); !value) return value.error();
      return core::OkStatus();
    case CompactType::kList:
    case CompactType::kSet:
      return SkipList();
    case CompactType::kMap:
      return SkipMap();
    case CompactType::kStruct:
      return ReadStruct([this](std::int16_t, CompactType field_type) {
        return SkipValue(field_type, /*in_list=*/false);
      });
  }
  return MalformedParquet("thrift: unknown type");
}

core::Status ThriftCompactReader::SkipList() {
  if (depth_ >= kMaxDepth) return MalformedParquet("thrift: values nested too deep");
  DepthGuard guard(depth_);
  core::Result<ListHeader> header = ReadListHeader();
  if (!header) return header.error();
  for (std::uint32_t i = 0; i < header->size; ++i) {
    if (core::Status s = SkipValue(header->element_type, /*in_list=*/true); !s) return s;
  }
  return core::OkStatus();
}

core::Status ThriftCompactReader::SkipMap() {
  if (depth_ >= kMaxDepth) return MalformedParquet("thrift: values nested too deep");
  DepthGuard guard(depth_);
  core::Result<std::uint64_t> size = ReadVarint();
  if (!size) return size.error();
  if (*size == 0) return core::OkStatus();
  if (*size > remaining() / 2) return MalformedParquet("thrift: map longer than its bytes");
  core::Result<std::uint8_t> types = ReadByte();
  if (!types) return types.error();
  core::Result<CompactType> key = TypeOf(*types >> 4);
  if (!key) return key.error();
  core::Result<CompactType> value = TypeOf(*types & 0x0F);
  if (!value) return value.error();
  for (std::uint64_t i = 0; i < *size; ++i) {
    if (core::Status s = SkipValue(*key, /*in_list=*/true); !s) return s;
    if (core::Status s = SkipValue(*value, /*in_list=*/true); !s) return s;
  }
  return core::OkStatus();
}

}  // namespace dataplane::parquet
