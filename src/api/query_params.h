#pragma once
// Pieces shared by the parsers of the read endpoints' query parameters (list_filter.h,
// stats_params.h, alert_params.h), so that every endpoint — of a site or of the Central API —
// reads a query string the same way and refuses a bad value the same way: 422
// "invalid_parameter" naming the field.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/time.h"

namespace dataplane::api {

//! Calls `param(key, value)` for each parameter of the request target's query string, decoded
//! ("/v1/jobs?status=failed&limit=10"), in order; stops at the first error and returns it.
//! Empty items ("/v1/jobs?", "a=1&&b=2") name nothing and are skipped: clients that build a
//! query string from an empty map send them. A target that is not a valid origin-form is 400
//! "bad_request".
core::Status ForEachQueryParam(
    std::string_view target,
    const std::function<core::Status(std::string_view key, const std::string& value)>& param);

//! The refusal of one parameter: "<field>: <message>".
core::Error BadParameter(const std::string& field, const std::string& message);

//! Calls `item` for each element of a comma list ("a,b,c"; an empty element is passed on as
//! empty, for the caller to refuse); stops at the first error and returns it.
core::Status ForEachListItem(std::string_view text,
                             const std::function<core::Status(std::string_view)>& item);

//! A time parameter's value: RFC 3339, where a positive offset may come as a space, the form
//! decoding of an unencoded '+' ("2026-11-29T05:30:00 05:30", pasted from a log into a URL):
//! the one space after the seconds is read back as '+'. Anything else is refused as
//! core::ParseRfc3339 refuses it.
core::Result<core::Micros> ParseTimeValue(const std::string& value);

//! A time parameter (`from`, `to`): ParseTimeValue into `out`, else the refusal naming `key`.
core::Status ParseTimeParam(std::string_view key, const std::string& value,
                            std::optional<core::Micros>& out);

//! `status`: a comma list of running, succeeded, failed, canceled, each appended to `out` once
//! (a repeated one is dropped), else the refusal that names the first bad item.
core::Status ParseStatusList(std::string_view text, std::vector<std::string>& out);

//! `limit`: an integer in 1..max, else the refusal that says so.
core::Result<int> ParseLimit(std::string_view value, int max);

}  // namespace dataplane::api
