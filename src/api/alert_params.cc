#include "api/alert_params.h"

#include <algorithm>

#include "api/query_params.h"

namespace dataplane::api {
namespace {

constexpr int kMaxAlerts = 1000;
constexpr const char* kSeverities[] = {"info", "warning", "critical"};
constexpr const char* kKinds[] = {"duration_outlier", "failure_rate_spike", "failure_rate_high"};

template <std::size_t N>
bool OneOf(std::string_view value, const char* const (&allowed)[N]) {
  return std::find(std::begin(allowed), std::end(allowed), value) != std::end(allowed);
}

core::Status ApplyParam(std::string_view key, const std::string& value, AlertFilter& f) {
  if (key == "site_id") {
    f.site_id = value;
  } else if (key == "app_name") {
    f.app_name = value;
  } else if (key == "severity") {
    return ForEachListItem(value, [&f](std::string_view item) -> core::Status {
      if (!OneOf(item, kSeverities)) {
        return BadParameter("severity",
                            "'" + std::string(item) + "' is not one of info, warning, critical");
      }
      f.severities.emplace_back(item);
      return core::OkStatus();
    });
  } else if (key == "kind") {
    if (!OneOf(value, kKinds)) {
      return BadParameter("kind", "'" + value +
                                      "' is not one of duration_outlier, failure_rate_spike, "
                                      "failure_rate_high");
    }
    f.kind = value;
  } else if (key == "since") {
    auto t = ParseTimeValue(value);
    if (!t) return BadParameter("since", t.error().message);
    f.since = *t;
  } else if (key == "limit") {
    auto limit = ParseLimit(value, kMaxAlerts);
    if (!limit) return limit.error();
    f.limit = *limit;
  } else {
    return BadParameter(std::string(key), "unknown query parameter");
  }
  return core::OkStatus();
}

}  // namespace

core::Result<AlertFilter> ParseAlertFilter(std::string_view target, core::Micros now) {
  AlertFilter f;
  f.since = now - 24 * 3600 * core::kMicrosPerSecond;
  if (auto s = ForEachQueryParam(target,
                                 [&f](std::string_view key, const std::string& value) {
                                   return ApplyParam(key, value, f);
                                 });
      !s) {
    return s.error();
  }
  return f;
}

}  // namespace dataplane::api
