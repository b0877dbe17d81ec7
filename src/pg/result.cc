#include "pg/result.h"

#include <bit>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "core/uuid.h"
#include "pg/binary_values.h"

namespace dataplane::pg {
namespace {

// A big-endian two's complement integer of `size` bytes (2, 4 or 8), as the binary format
// sends int2, int4, int8 and timestamptz.
std::int64_t BigEndian(std::string_view bytes) {
  std::uint64_t value = 0;
  for (const char byte : bytes) value = value << 8 | static_cast<unsigned char>(byte);
  const unsigned bits = static_cast<unsigned>(bytes.size()) * 8;
  if (bits > 0 && bits < 64 && (value >> (bits - 1)) != 0) value |= ~std::uint64_t{0} << bits;
  return static_cast<std::int64_t>(value);
}

}  // namespace

std::int64_t PgResult::Int64(int row, int col) const {
  const std::string_view text = Text(row, col);
  if (IsBinary(col)) return BigEndian(text);
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

double PgResult::Double(int row, int col) const {
  const std::string_view text = Text(row, col);
  if (IsBinary(col)) {
    if (text.size() != sizeof(double)) return 0;
    return std::bit_cast<double>(static_cast<std::uint64_t>(BigEndian(text)));
  }
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc() && end == text.data() + text.size()) return value;
  return std::strtod(text.data(), nullptr);  // what from_chars does not read, e.g. "1e-400"
}

bool PgResult::Bool(int row, int col) const {
  const std::string_view text = Text(row, col);
  if (IsBinary(col)) return text.size() == 1 && text[0] != 0;
  return text == "t";
}

core::Micros PgResult::Micros(int row, int col) const {
  if (!IsBinary(col)) return Int64(row, col);
  if (IsNull(row, col)) return 0;
  const std::int64_t pg_micros = BigEndian(Text(row, col));
  // ±infinity are sent as the int64 extremes: kept there rather than overflowed.
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  if (pg_micros > kMax - kPgEpochInUnixMicros) return kMax;
  if (pg_micros == std::numeric_limits<std::int64_t>::min()) return pg_micros;
  return pg_micros + kPgEpochInUnixMicros;
}

void PgResult::AppendUuid(std::string& out, int row, int col) const {
  const std::string_view bytes = Text(row, col);
  if (!IsBinary(col)) {
    out += bytes;
    return;
  }
  core::Uuid uuid{};
  if (bytes.size() == uuid.size()) std::memcpy(uuid.data(), bytes.data(), uuid.size());
  core::AppendUuid(out, uuid);
}

}  // namespace dataplane::pg
