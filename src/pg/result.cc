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
  return std::strtod(PQgetvalue(result_.get(), row, col), nullptr);
}

}  // namespace dataplane::pg
