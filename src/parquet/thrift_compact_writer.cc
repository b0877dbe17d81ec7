#include "parquet/thrift_compact_writer.h"

#include <stdexcept>

namespace dataplane::parquet {

void ThriftCompactWriter::AppendVarint(std::uint64_t value, std::string& out) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

std::uint32_t ThriftCompactWriter::ZigZag32(std::int32_t value) {
  // Shift in unsigned arithmetic: left-shifting a negative signed value is not portable.
  return (static_cast<std::uint32_t>(value) << 1) ^ static_cast<std::uint32_t>(value >> 31);
}

std::uint64_t ThriftCompactWriter::ZigZag64(std::int64_t value) {
  return (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63);
}

void ThriftCompactWriter::BeginStruct() { last_field_ids_.push_back(0); }

void ThriftCompactWriter::EndStruct() {
  if (last_field_ids_.empty()) throw std::logic_error("thrift: EndStruct without an open struct");
  out_.push_back('\0');
  last_field_ids_.pop_back();
}

void ThriftCompactWriter::FieldHeader(std::int16_t id, CompactType type) {
  if (last_field_ids_.empty()) throw std::logic_error("thrift: field outside a struct");
  std::int16_t& last = last_field_ids_.back();
  const int delta = id - last;
  const auto type_nibble = static_cast<std::uint8_t>(type);
  if (delta > 0 && delta <= 15) {
    out_.push_back(static_cast<char>((delta << 4) | type_nibble));
  } else {
    out_.push_back(static_cast<char>(type_nibble));
    AppendVarint(ZigZag32(id), out_);
  }
  last = id;
}

void ThriftCompactWriter::FieldI32(std::int16_t id, std::int32_t value) {
  FieldHeader(id, CompactType::kI32);
  AppendVarint(ZigZag32(value), out_);
}

void ThriftCompactWriter::FieldI64(std::int16_t id, std::int64_t value) {
  FieldHeader(id, CompactType::kI64);
  AppendVarint(ZigZag64(value), out_);
}

void ThriftCompactWriter::FieldBinary(std::int16_t id, std::string_view value) {
  FieldHeader(id, CompactType::kBinary);
  ListBinary(value);
}

void ThriftCompactWriter::FieldBool(std::int16_t id, bool value) {
  FieldHeader(id, value ? CompactType::kBoolTrue : CompactType::kBoolFalse);
}

void ThriftCompactWriter::FieldStruct(std::int16_t id) {
  FieldHeader(id, CompactType::kStruct);
  BeginStruct();
}

void ThriftCompactWriter::FieldList(std::int16_t id, CompactType element_type, std::size_t size) {
  FieldHeader(id, CompactType::kList);
  const auto type_nibble = static_cast<std::uint8_t>(element_type);
  if (size < 15) {
    out_.push_back(static_cast<char>((size << 4) | type_nibble));
  } else {
    out_.push_back(static_cast<char>(0xF0 | type_nibble));
    AppendVarint(size, out_);
  }
}

void ThriftCompactWriter::ListI32(std::int32_t value) { AppendVarint(ZigZag32(value), out_); }

void ThriftCompactWriter::ListI64(std::int64_t value) { AppendVarint(ZigZag64(value), out_); }

void ThriftCompactWriter::ListBool(bool value) {
  out_.push_back(static_cast<char>(value ? CompactType::kBoolTrue : CompactType::kBoolFalse));
}

void ThriftCompactWriter::ListBinary(std::string_view value) {
  AppendVarint(value.size(), out_);
  out_.append(value);
}

std::string ThriftCompactWriter::Take() {
  std::string taken = std::move(out_);
  out_.clear();
  last_field_ids_.clear();
  return taken;
}

}  // namespace dataplane::parquet
