#include "api/query_params.h"

#include <algorithm>
#include <charconv>

#include <boost/url/parse.hpp>

#include "api/lifecycle.h"

namespace dataplane::api {

core::Status ForEachQueryParam(
    std::string_view target,
    const std::function<core::Status(std::string_view key, const std::string& value)>& param) {
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return core::Error::Malformed("bad_request", "malformed request target");
  for (const auto& item : url->params()) {
    if (item.key.empty() && !item.has_value) continue;
    if (auto s = param(item.key, item.value); !s) return s;
  }
  return core::OkStatus();
}

core::Error BadParameter(const std::string& field, const std::string& message) {
  return core::Error::Invalid("invalid_parameter", field, field + ": " + message);
}

core::Status ForEachListItem(std::string_view text,
                             const std::function<core::Status(std::string_view)>& item) {
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    if (auto s = item(text.substr(start, comma - start)); !s) return s;
    start = comma + 1;
  }
  return core::OkStatus();
}

core::Result<core::Micros> ParseTimeValue(const std::string& value) {
  auto t = core::ParseRfc3339(value);
  if (t) return t;
  // "…T05:30:00 05:30" or "…T05:30:00.5 05:30": a space where the offset's sign belongs.
  const std::size_t space = value.find(' ');
  const bool offset_shaped = space != std::string::npos && space == value.size() - 6 &&
                             value.find('T') < space && value[space + 3] == ':';
  if (!offset_shaped) return t;
  std::string signed_offset = value;
  signed_offset[space] = '+';
  auto repaired = core::ParseRfc3339(signed_offset);
  return repaired ? repaired : t;
}

core::Status ParseTimeParam(std::string_view key, const std::string& value,
                            std::optional<core::Micros>& out) {
  auto t = ParseTimeValue(value);
  if (!t) return BadParameter(std::string(key), t.error().message);
  out = *t;
  return core::OkStatus();
}

core::Status ParseStatusList(std::string_view text, std::vector<std::string>& out) {
  return ForEachListItem(text, [&out](std::string_view item) -> core::Status {
    if (!ParseJobStatus(item)) {
      return BadParameter("status", "'" + std::string(item) +
                                        "' is not one of running, succeeded, failed, canceled");
    }
    if (std::find(out.begin(), out.end(), item) == out.end()) out.emplace_back(item);
    return core::OkStatus();
  });
}

core::Result<int> ParseLimit(std::string_view value, int max) {
  int limit = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), limit);
  if (ec != std::errc() || ptr != value.data() + value.size() || limit < 1 || limit > max) {
    return BadParameter("limit", "must be an integer in 1.." + std::to_string(max));
  }
  return limit;
}

}  // namespace dataplane::api
