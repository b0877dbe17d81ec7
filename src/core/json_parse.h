#pragma once
// Parses untrusted JSON text into a boost::json::value with clear, classified errors:
//   invalid_utf8 (400), too_deeply_nested (400, deeper than max_depth), malformed_json (400).
// Numbers that overflow a double are refused as malformed. Also: IsValidUtf8.
#include <string_view>

#include <boost/json/value.hpp>

#include "core/error.h"

namespace dataplane::core {

inline constexpr std::size_t kDefaultMaxJsonDepth = 32;

Result<boost::json::value> ParseJson(std::string_view text,
                                     std::size_t max_depth = kDefaultMaxJsonDepth);

bool IsValidUtf8(std::string_view text);

}  // namespace dataplane::core
