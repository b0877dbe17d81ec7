#include "pg/result.h"

#include <charconv>
#include <cstdlib>

namespace dataplane::pg {

std::int64_t PgResult::Int64(int row, int col) const {
  const std::string_view text = Text(row, col);
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

double PgResult::Double(int row, int col) const {
  const std::string_view text = Text(row, col);
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc() && end == text.data() + text.size()) return value;
  return std::strtod(text.data(), nullptr);  // what from_chars does not read, e.g. "1e-400"
}

}  // namespace dataplane::pg
