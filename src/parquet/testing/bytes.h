#pragma once
// Tests only: a byte string written as a list of byte values, for comparing encoder output
// with hand-derived bytes (Bytes({0x15, 0x02}) is the two bytes 0x15 0x02), and the 4-byte
// little-endian integers Parquet frames with (level lengths, the footer length).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dataplane::parquet::testing {

inline std::string Bytes(const std::vector<int>& values) {
  std::string out;
  for (int v : values) out.push_back(static_cast<char>(v));
  return out;
}

//! The little-endian uint32 in the first 4 bytes of `b`.
inline std::uint32_t Le32(std::string_view b) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<std::uint8_t>(b[i]);
  return v;
}

}  // namespace dataplane::parquet::testing
