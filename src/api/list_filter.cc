#include "api/list_filter.h"

#include "api/query_params.h"
#include "core/uuid.h"

namespace dataplane::api {
namespace {

core::Status ApplyParam(std::string_view key, const std::string& value, ListKind kind,
                        ListFilter& f) {
  if (key == "from" || key == "to") {
    return ParseTimeParam(key, value, key == "from" ? f.from : f.to);
  } else if (key == "status") {
    return ParseStatusList(value, f.statuses);
  } else if (key == "app_name") {
    f.app_name = value;
  } else if (key == "site_id") {
    f.site_id = value;
  } else if (key == "job_key") {
    f.job_key = value;
  } else if (key == "job_id" && kind == ListKind::kSubjobs) {
    auto id = core::ParseUuid(value);
    if (!id) return BadParameter("job_id", id.error().message);
    f.job_id = core::FormatUuid(*id);
  } else if (key == "limit") {
    auto limit = ParseLimit(value, kMaxLimit);
    if (!limit) return limit.error();
    f.limit = *limit;
  } else if (key == "cursor") {
    auto cursor = DecodeCursor(value);
    if (!cursor) return cursor.error();
    f.cursor = *cursor;
  } else {
    return BadParameter(std::string(key), "unknown query parameter");
  }
  return core::OkStatus();
}

}  // namespace

core::Result<ListFilter> ParseListFilter(std::string_view target, ListKind kind) {
  ListFilter filter;
  if (auto s = ForEachQueryParam(target,
                                 [&](std::string_view key, const std::string& value) {
                                   return ApplyParam(key, value, kind, filter);
                                 });
      !s) {
    return s.error();
  }
  if (filter.from && filter.to && *filter.from >= *filter.to) {
    return BadParameter("from", "must be earlier than to");
  }
  return filter;
}

}  // namespace dataplane::api
