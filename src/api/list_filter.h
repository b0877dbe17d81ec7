#pragma once
// The query parameters of GET /v1/jobs and /v1/subjobs (SPEC §3), parsed and validated:
//   from, to      RFC 3339; on the time of the latest event (from inclusive, to exclusive)
//   status        comma list of running, succeeded, failed, canceled
//   app_name      case-insensitive substring     site_id, job_key   exact
//   job_id        UUID (subjobs only)            limit  1..10000, default 100
//   cursor        next_cursor of the previous page
// Unknown parameters are refused (a typo must not silently widen a query).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/cursor.h"
#include "core/error.h"
#include "core/time.h"

namespace dataplane::api {

inline constexpr int kDefaultLimit = 100;
inline constexpr int kMaxLimit = 10000;

struct ListFilter {
  std::optional<core::Micros> from;
  std::optional<core::Micros> to;
  std::vector<std::string> statuses;
  std::optional<std::string> app_name;
  std::optional<std::string> site_id;
  std::optional<std::string> job_key;
  std::optional<std::string> job_id;
  int limit = kDefaultLimit;
  std::optional<Cursor> cursor;
};

enum class ListKind { kJobs, kSubjobs };

//! `target` is the request target, e.g. "/v1/jobs?status=failed&limit=10".
core::Result<ListFilter> ParseListFilter(std::string_view target, ListKind kind);

}  // namespace dataplane::api
