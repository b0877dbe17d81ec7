#include "parquet/plain_encoder.h"

#include <bit>
#include <stdexcept>

namespace dataplane::parquet {
namespace {

void AppendLittleEndian(std::uint64_t value, int bytes, std::string& out) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>(value >> (8 * i)));
}

}  // namespace

void AppendPlainInt32(std::int32_t value, std::string& out) {
  AppendLittleEndian(static_cast<std::uint32_t>(value), 4, out);
}

void AppendPlainInt64(std::int64_t value, std::string& out) {
  AppendLittleEndian(static_cast<std::uint64_t>(value), 8, out);
}

void AppendPlainDouble(double value, std::string& out) {
  AppendLittleEndian(std::bit_cast<std::uint64_t>(value), 8, out);
}

void AppendPlainByteArray(std::string_view value, std::string& out) {
  if (value.size() > 0x7FFFFFFF) throw std::logic_error("parquet: byte array over 2 GiB");
  AppendLittleEndian(value.size(), 4, out);
  out.append(value);
}

void AppendPlainFixed(std::string_view value, std::string& out) { out.append(value); }

void BooleanPacker::Add(bool value) {
  if (count_ % 8 == 0) bytes_.push_back('\0');
  if (value) bytes_.back() = static_cast<char>(bytes_.back() | (1 << (count_ % 8)));
  ++count_;
}

std::string BooleanPacker::Finish() {
  std::string out = std::move(bytes_);
  bytes_.clear();
  count_ = 0;
  return out;
}

}  // namespace dataplane::parquet
