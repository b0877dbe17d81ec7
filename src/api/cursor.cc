#include "api/cursor.h"

#include <charconv>

#include "core/base64url.h"
#include "core/uuid.h"

namespace dataplane::api {
namespace {

constexpr std::string_view kVersion = "c1";

core::Error BadCursor() {
  return core::Error::Invalid("invalid_cursor", "cursor",
                              "cursor is not one this API issued (pass next_cursor unchanged)");
}

}  // namespace

std::string EncodeCursor(const Cursor& cursor) {
  return core::Base64UrlEncode(std::string(kVersion) + "|" + std::to_string(cursor.last_event_at) +
                               "|" + cursor.id);
}

core::Result<Cursor> DecodeCursor(std::string_view text) {
  std::string raw;
  if (text.size() > 128 || !core::Base64UrlDecode(text, raw)) return BadCursor();
  const std::size_t a = raw.find('|');
  const std::size_t b = a == std::string::npos ? a : raw.find('|', a + 1);
  if (b == std::string::npos || raw.substr(0, a) != kVersion) return BadCursor();
  Cursor cursor;
  const char* begin = raw.data() + a + 1;
  const char* end = raw.data() + b;
  auto [ptr, ec] = std::from_chars(begin, end, cursor.last_event_at);
  if (ec != std::errc() || ptr != end) return BadCursor();
  auto id = core::ParseUuid(std::string_view(raw).substr(b + 1));
  if (!id) return BadCursor();
  cursor.id = core::FormatUuid(*id);
  // Base64 leaves slack (unused low bits, a trailing character that completes no byte) and
  // from_chars takes "007" or "-0": only the one spelling EncodeCursor writes is accepted.
  if (EncodeCursor(cursor) != text) return BadCursor();
  return cursor;
}

}  // namespace dataplane::api
