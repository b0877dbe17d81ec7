#include "pg/sql_builder.h"

#include <utility>

namespace dataplane::pg {

void SqlBuilder::Add(std::string condition, std::vector<std::string> values) {
  for (std::string& value : values) {
    params.push_back(std::move(value));
    condition.replace(condition.find("$?"), 2, "$" + std::to_string(params.size()));
  }
  conditions.push_back(std::move(condition));
}

void SqlBuilder::AddOneOf(const std::string& column, std::vector<std::string> values) {
  std::string placeholders;
  for (std::size_t i = 0; i < values.size(); ++i) placeholders += i == 0 ? "$?" : ", $?";
  Add(column + " IN (" + placeholders + ")", std::move(values));
}

void SqlBuilder::AddContainsIgnoringCase(const std::string& column, std::string text) {
  Add("strpos(lower(" + column + "), lower($?)) > 0", {std::move(text)});
}

std::string SqlBuilder::Where(const std::string& extra) const {
  std::string out;
  for (const std::string& c : conditions) out += (out.empty() ? " WHERE " : " AND ") + c;
  if (!extra.empty()) out += (out.empty() ? " WHERE " : " AND ") + extra;
  return out;
}

}  // namespace dataplane::pg
