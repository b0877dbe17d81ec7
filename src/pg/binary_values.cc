#include "pg/binary_values.h"

#include <bit>

#include "core/uuid.h"

namespace dataplane::pg {

void BinaryValues::Null() {
  ++values_;
  AppendInt32(data_, -1);
  has_null_ = true;
}

void BinaryValues::Text(std::string_view value) {
  ++values_;
  AppendInt32(data_, static_cast<std::int32_t>(value.size()));
  data_.append(value);
}

void BinaryValues::Float8(double value) {
  ++values_;
  AppendInt32(data_, 8);
  AppendInt64(data_, std::bit_cast<std::int64_t>(value));
}

void BinaryValues::Int4(std::int32_t value) {
  ++values_;
  AppendInt32(data_, 4);
  AppendInt32(data_, value);
}

void BinaryValues::Int8(std::int64_t value) {
  ++values_;
  AppendInt32(data_, 8);
  AppendInt64(data_, value);
}

void BinaryValues::Bool(bool value) {
  ++values_;
  AppendInt32(data_, 1);
  data_.push_back(value ? '\1' : '\0');
}

void BinaryValues::TimestampTz(core::Micros unix_micros) {
  ++values_;
  AppendInt32(data_, 8);
  AppendInt64(data_, unix_micros - kPgEpochInUnixMicros);
}

// Not a UUID: an empty value, which the server refuses for its length.
void BinaryValues::Uuid(std::string_view canonical) {
  const auto uuid = core::ParseUuid(canonical);
  if (!uuid) return Text(std::string_view());
  Text(std::string_view(reinterpret_cast<const char*>(uuid->data()), uuid->size()));
}

void BinaryValues::Jsonb(std::string_view json_text) {
  ++values_;
  AppendInt32(data_, static_cast<std::int32_t>(json_text.size() + 1));
  data_.push_back('\1');
  data_.append(json_text);
}

void BinaryValues::AppendInt16(std::string& out, std::int16_t value) {
  const auto u = static_cast<std::uint16_t>(value);
  out.push_back(static_cast<char>(u >> 8));
  out.push_back(static_cast<char>(u));
}

void BinaryValues::AppendInt32(std::string& out, std::int32_t value) {
  const auto u = static_cast<std::uint32_t>(value);
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(u >> shift));
}

void BinaryValues::AppendInt64(std::string& out, std::int64_t value) {
  const auto u = static_cast<std::uint64_t>(value);
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(u >> shift));
}

}  // namespace dataplane::pg
