#pragma once
// Parses untrusted JSON text into a boost::json::value with clear, classified errors:
//   invalid_utf8 (400), too_deeply_nested (400, deeper than max_depth), malformed_json (400).
// Numbers that overflow a double are refused as malformed. ValidateJson makes the same checks
// without building a value (for text that is passed on as it is: core/json_scan.h).
#include <string_view>

#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>

#include "core/error.h"

namespace dataplane::core {

inline constexpr std::size_t kDefaultMaxJsonDepth = 32;

//! `storage` holds the parsed value (e.g. a monotonic_resource the caller keeps alive while it
//! uses the value); the default is the heap.
Result<boost::json::value> ParseJson(std::string_view text,
                                     std::size_t max_depth = kDefaultMaxJsonDepth,
                                     boost::json::storage_ptr storage = {});

//! OkStatus when `text` is one JSON document that ParseJson would accept, else its error.
Status ValidateJson(std::string_view text, std::size_t max_depth = kDefaultMaxJsonDepth);

}  // namespace dataplane::core
