#include "pg/binary_fields.h"

#include <bit>
#include <limits>

#include "pg/binary_values.h"

namespace dataplane::pg {

std::int64_t BinaryInt(std::string_view bytes) {
  if (bytes.size() > 8) return 0;
  std::uint64_t value = 0;
  for (const char byte : bytes) value = value << 8 | static_cast<unsigned char>(byte);
  const unsigned bits = static_cast<unsigned>(bytes.size()) * 8;
  if (bits > 0 && bits < 64 && (value >> (bits - 1)) != 0) value |= ~std::uint64_t{0} << bits;
  return static_cast<std::int64_t>(value);
}

double BinaryFloat8(std::string_view bytes) {
  if (bytes.size() != sizeof(double)) return 0;
  return std::bit_cast<double>(static_cast<std::uint64_t>(BinaryInt(bytes)));
}

bool BinaryBool(std::string_view bytes) { return bytes.size() == 1 && bytes[0] != 0; }

core::Micros BinaryTimestampTz(std::string_view bytes) {
  const std::int64_t pg_micros = BinaryInt(bytes);
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  if (pg_micros > kMax - kPgEpochInUnixMicros) return kMax;
  if (pg_micros == std::numeric_limits<std::int64_t>::min()) return pg_micros;
  return pg_micros + kPgEpochInUnixMicros;
}

std::string_view BinaryJsonbText(std::string_view bytes) {
  return bytes.empty() ? bytes : bytes.substr(1);
}

}  // namespace dataplane::pg
