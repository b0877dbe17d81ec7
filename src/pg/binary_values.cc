#include "pg/binary_values.h"

#include <bit>

namespace dataplane::pg {
namespace {

// PostgreSQL's timestamps count from 2000-01-01 00:00:00 UTC.
constexpr core::Micros kPgEpochInUnixMicros = 946'684'800'000'000;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The 16 bytes of a canonical UUID text, or none when it is not one.
std::string UuidBytes(std::string_view text) {
  std::string bytes;
  if (text.size() != 36) return bytes;
  int high = -1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return {};
      continue;
    }
    const int v = HexValue(text[i]);
    if (v < 0) return {};
    if (high < 0) {
      high = v;
    } else {
      bytes.push_back(static_cast<char>(high << 4 | v));
      high = -1;
    }
  }
  return bytes;
}

}  // namespace

void BinaryValues::Null() {
  ++values_;
  AppendInt32(-1);
  has_null_ = true;
}

void BinaryValues::Text(std::string_view value) {
  ++values_;
  AppendInt32(static_cast<std::int32_t>(value.size()));
  data_.append(value);
}

void BinaryValues::Float8(double value) {
  ++values_;
  AppendInt32(8);
  AppendInt64(std::bit_cast<std::int64_t>(value));
}

void BinaryValues::Int4(std::int32_t value) {
  ++values_;
  AppendInt32(4);
  AppendInt32(value);
}

void BinaryValues::TimestampTz(core::Micros unix_micros) {
  ++values_;
  AppendInt32(8);
  AppendInt64(unix_micros - kPgEpochInUnixMicros);
}

void BinaryValues::Uuid(std::string_view canonical) { Text(UuidBytes(canonical)); }

void BinaryValues::Jsonb(std::string_view json_text) {
  ++values_;
  AppendInt32(static_cast<std::int32_t>(json_text.size() + 1));
  data_.push_back('\1');
  data_.append(json_text);
}

void BinaryValues::AppendInt16(std::int16_t value) {
  const auto u = static_cast<std::uint16_t>(value);
  data_.push_back(static_cast<char>(u >> 8));
  data_.push_back(static_cast<char>(u));
}

void BinaryValues::AppendInt32(std::int32_t value) {
  const auto u = static_cast<std::uint32_t>(value);
  for (int shift = 24; shift >= 0; shift -= 8) data_.push_back(static_cast<char>(u >> shift));
}

void BinaryValues::AppendInt64(std::int64_t value) {
  const auto u = static_cast<std::uint64_t>(value);
  for (int shift = 56; shift >= 0; shift -= 8) data_.push_back(static_cast<char>(u >> shift));
}

}  // namespace dataplane::pg
