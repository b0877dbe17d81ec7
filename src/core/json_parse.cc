#include "core/json_parse.h"

#include <cmath>
#include <cstring>

#include <boost/json/error.hpp>
#include <boost/json/parser.hpp>

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
}  // namespace

bool IsValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    // ASCII, the usual case, eight bytes at a time.
    std::uint64_t word;
    if (end - p >= 8 && (std::memcpy(&word, p, 8), (word & 0x8080808080808080ULL) == 0)) {
      p += 8;
      continue;
    }
    if (*p < 0x80) {
      ++p;
      continue;
    }
    int extra;
    std::uint32_t cp;
    if ((*p & 0xE0) == 0xC0) {
      extra = 1;
      cp = *p & 0x1F;
    } else if ((*p & 0xF0) == 0xE0) {
      extra = 2;
      cp = *p & 0x0F;
    } else if ((*p & 0xF8) == 0xF0) {
      extra = 3;
      cp = *p & 0x07;
    } else {
      return false;
    }
    if (end - p <= extra) return false;
    for (int i = 1; i <= extra; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = cp << 6 | (p[i] & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8.
    static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[extra] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return false;
    p += extra + 1;
  }
  return true;
}

Result<boost::json::value> ParseJson(std::string_view text, std::size_t max_depth,
                                     boost::json::storage_ptr storage) {
  if (!IsValidUtf8(text)) {
    return Error::Malformed("invalid_utf8", "request body is not valid UTF-8");
  }
  boost::json::parse_options options;
  options.max_depth = max_depth;
  unsigned char scratch[4096];  // the parser's own stack, for all but very deep documents
  boost::json::parser parser({}, options, scratch, sizeof scratch);
  parser.reset(std::move(storage));
  boost::json::error_code ec;
  parser.write(text.data(), text.size(), ec);
  if (ec == boost::json::error::too_deep) {
    return Error::Malformed("too_deeply_nested",
                            "JSON nested deeper than " + std::to_string(max_depth) + " levels");
  }
  if (ec) return Error::Malformed("malformed_json", "malformed JSON: " + ec.message());
  boost::json::value value = parser.release();
  if (HasNonFiniteNumber(value)) {
    return Error::Malformed("malformed_json", "malformed JSON: a number is too large for a double");
  }
  return value;
}

}  // namespace dataplane::core
