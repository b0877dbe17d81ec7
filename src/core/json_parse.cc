#include "core/json_parse.h"

#include <cmath>

#include <boost/json/error.hpp>
#include <boost/json/parser.hpp>

#include "core/json_scan.h"
#include "core/utf8.h"

namespace dataplane::core {
namespace {

// Boost.JSON turns a number past the range of a double (1e400) into an infinity, which it
// would later print as the bare token Infinity: not JSON, and refused by PostgreSQL's jsonb.
// Recursive: the parser already bounded the depth (max_depth), and no heap is needed.
bool HasNonFiniteNumber(const boost::json::value& v) {
  if (v.is_double()) return !std::isfinite(v.get_double());
  if (v.is_array()) {
    for (const auto& e : v.get_array()) {
      if (HasNonFiniteNumber(e)) return true;
    }
  } else if (v.is_object()) {
    for (const auto& kv : v.get_object()) {
      if (HasNonFiniteNumber(kv.value())) return true;
    }
  }
  return false;
}
Error InvalidUtf8() { return Error::Malformed("invalid_utf8", "request body is not valid UTF-8"); }

// The error of a parse that failed with `ec`.
Error ParseError(boost::json::error_code ec, std::size_t max_depth) {
  if (ec == boost::json::error::too_deep) {
    return Error::Malformed("too_deeply_nested",
                            "JSON nested deeper than " + std::to_string(max_depth) + " levels");
  }
  return Error::Malformed("malformed_json", "malformed JSON: " + ec.message());
}

Error TooLargeNumber() {
  return Error::Malformed("malformed_json", "malformed JSON: a number is too large for a double");
}

}  // namespace

Status ValidateJson(std::string_view text, std::size_t max_depth) {
  JsonScanner scanner(text, max_depth);
  if (!scanner.Value().empty()) scanner.Finish();
  return scanner.status();
}

Result<boost::json::value> ParseJson(std::string_view text, std::size_t max_depth,
                                     boost::json::storage_ptr storage) {
  if (!IsValidUtf8(text)) return InvalidUtf8();
  boost::json::parse_options options;
  options.max_depth = max_depth;
  unsigned char scratch[4096];  // the parser's own stack, for all but very deep documents
  boost::json::parser parser({}, options, scratch, sizeof scratch);
  parser.reset(std::move(storage));
  boost::json::error_code ec;
  parser.write(text.data(), text.size(), ec);
  if (ec) return ParseError(ec, max_depth);
  boost::json::value value = parser.release();
  if (HasNonFiniteNumber(value)) return TooLargeNumber();
  return value;
}

}  // namespace dataplane::core
