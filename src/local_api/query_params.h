#pragma once
// Pieces shared by the parsers of the read endpoints' query parameters (list_filter.h,
// stats_query.h, alerts_query.h), so that every endpoint refuses a bad value the same way:
// 422 "invalid_parameter" naming the field.
#include <functional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace dataplane::local_api {

//! The refusal of one parameter: "<field>: <message>".
core::Error BadParameter(const std::string& field, const std::string& message);

//! Calls `item` for each element of a comma list ("a,b,c"; an empty element is passed on as
//! empty, for the caller to refuse); stops at the first error and returns it.
core::Status ForEachListItem(std::string_view text,
                             const std::function<core::Status(std::string_view)>& item);

//! `limit`: an integer in 1..max, else the refusal that says so.
core::Result<int> ParseLimit(std::string_view value, int max);

}  // namespace dataplane::local_api
