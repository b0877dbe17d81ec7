#pragma once
// PLAIN encoding of Parquet values (Encodings.md "Plain"), appended to a caller-owned buffer:
// INT32 / INT64 as little-endian two's complement, DOUBLE as little-endian IEEE 754, BYTE_ARRAY
// as a 4-byte little-endian length then the bytes, FIXED_LEN_BYTE_ARRAY as the bytes alone, and
// BOOLEAN bit-packed (BooleanPacker). The byte order does not depend on the host. Nothing fails.
#include <cstdint>
#include <string>
#include <string_view>

namespace dataplane::parquet {

void AppendPlainInt32(std::int32_t value, std::string& out);
void AppendPlainInt64(std::int64_t value, std::string& out);
void AppendPlainDouble(double value, std::string& out);
void AppendPlainByteArray(std::string_view value, std::string& out);
void AppendPlainFixed(std::string_view value, std::string& out);

//! PLAIN BOOLEAN: one bit per value, least significant bit first, the last byte zero-padded.
class BooleanPacker {
 public:
  void Add(bool value);
  std::size_t count() const { return count_; }
  std::size_t byte_size() const { return (count_ + 7) / 8; }
  //! The packed bytes of every value added since the last Finish; the packer is then empty.
  std::string Finish();

 private:
  std::string bytes_;
  std::size_t count_ = 0;
};

}  // namespace dataplane::parquet
