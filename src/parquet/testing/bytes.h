#pragma once
// Tests only: a byte string written as a list of byte values, for comparing encoder output
// with hand-derived bytes (Bytes({0x15, 0x02}) is the two bytes 0x15 0x02).
#include <string>
#include <vector>

namespace dataplane::parquet::testing {

inline std::string Bytes(const std::vector<int>& values) {
  std::string out;
  for (int v : values) out.push_back(static_cast<char>(v));
  return out;
}

}  // namespace dataplane::parquet::testing
