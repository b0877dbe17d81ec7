#include "pg/result.h"

#include <bit>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "core/uuid.h"
#include "pg/binary_fields.h"

namespace dataplane::pg {

std::int64_t PgResult::Int64(int row, int col) const {
  const std::string_view text = Text(row, col);
  if (IsBinary(col)) return BinaryInt(text);
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

double PgResult::Double(int row, int col) const {
  const std::string_view text = Text(row, col);
  if (IsBinary(col)) return BinaryFloat8(text);
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc() && end == text.data() + text.size()) return value;
  return std::strtod(text.data(), nullptr);  // what from_chars does not read, e.g. "1e-400"
}

bool PgResult::Bool(int row, int col) const {
  const std::string_view text = Text(row, col);
  if (IsBinary(col)) return BinaryBool(text);
  return text == "t";
}

core::Micros PgResult::Micros(int row, int col) const {
  if (!IsBinary(col)) return Int64(row, col);
  if (IsNull(row, col)) return 0;
  return BinaryTimestampTz(Text(row, col));
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
