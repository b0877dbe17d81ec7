#include "core/json_parse.h"

#include <cmath>
#include <cstring>

#include <boost/json/basic_parser_impl.hpp>
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
// A basic_parser handler that keeps nothing: it only refuses numbers past a double's range.
struct CheckOnly {
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);
  bool non_finite = false;

  bool on_document_begin(boost::json::error_code&) { return true; }
  bool on_document_end(boost::json::error_code&) { return true; }
  bool on_object_begin(boost::json::error_code&) { return true; }
  bool on_object_end(std::size_t, boost::json::error_code&) { return true; }
  bool on_array_begin(boost::json::error_code&) { return true; }
  bool on_array_end(std::size_t, boost::json::error_code&) { return true; }
  bool on_key_part(boost::json::string_view, std::size_t, boost::json::error_code&) { return true; }
  bool on_key(boost::json::string_view, std::size_t, boost::json::error_code&) { return true; }
  bool on_string_part(boost::json::string_view, std::size_t, boost::json::error_code&) {
    return true;
  }
  bool on_string(boost::json::string_view, std::size_t, boost::json::error_code&) { return true; }
  bool on_number_part(boost::json::string_view, boost::json::error_code&) { return true; }
  bool on_int64(std::int64_t, boost::json::string_view, boost::json::error_code&) { return true; }
  bool on_uint64(std::uint64_t, boost::json::string_view, boost::json::error_code&) { return true; }
  bool on_double(double d, boost::json::string_view, boost::json::error_code&) {
    non_finite = non_finite || !std::isfinite(d);
    return true;
  }
  bool on_bool(bool, boost::json::error_code&) { return true; }
  bool on_null(boost::json::error_code&) { return true; }
  bool on_comment_part(boost::json::string_view, boost::json::error_code&) { return true; }
  bool on_comment(boost::json::string_view, boost::json::error_code&) { return true; }
};

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
  if (!IsValidUtf8(text)) return InvalidUtf8();
  boost::json::parse_options options;
  options.max_depth = max_depth;
  boost::json::basic_parser<CheckOnly> parser(options);
  boost::json::error_code ec;
  const std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
  if (!ec && used != text.size()) ec = boost::json::error::extra_data;
  if (ec) return ParseError(ec, max_depth);
  if (parser.handler().non_finite) return TooLargeNumber();
  return OkStatus();
}

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
