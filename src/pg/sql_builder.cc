#include "pg/sql_builder.h"

namespace dataplane::pg {

void SqlBuilder::Add(std::string condition, std::vector<std::string> values) {
  for (std::string& value : values) {
    params.push_back(std::move(value));
    condition.replace(condition.find("$?"), 2, "$" + std::to_string(params.size()));
  }
  conditions.push_back(std::move(condition));
}

std::string SqlBuilder::Where(const std::string& extra) const {
  std::string out;
  for (const std::string& c : conditions) out += (out.empty() ? " WHERE " : " AND ") + c;
  if (!extra.empty()) out += (out.empty() ? " WHERE " : " AND ") + extra;
  return out;
}

}  // namespace dataplane::pg
