#include "api/site_cursor.h"

#include "core/base64url.h"

namespace dataplane::api {
namespace {

constexpr std::string_view kVersion = "s1";
constexpr std::string_view kDone = "~";
constexpr std::size_t kMaxCursorBytes = 64 * 1024;

core::Error BadCursor() {
  return core::Error::Invalid("invalid_cursor", "cursor",
                              "cursor is not one this API issued (pass next_cursor unchanged)");
}

// "<site>=<cursor>" or "<site>=~" into `cursor`; false when malformed or repeated.
bool ParsePosition(std::string_view item, SiteCursor& cursor) {
  const std::size_t eq = item.find('=');
  if (eq == 0 || eq == std::string_view::npos) return false;
  const std::string site(item.substr(0, eq));
  const std::string_view position = item.substr(eq + 1);
  if (position == kDone) return cursor.sites.emplace(site, SiteDone{}).second;
  auto local = DecodeCursor(position);
  return local && cursor.sites.emplace(site, *local).second;
}

}  // namespace

std::string EncodeSiteCursor(const SiteCursor& cursor) {
  std::string raw(kVersion);
  for (const auto& [site, position] : cursor.sites) {
    raw.append("|").append(site).append("=");
    if (const Cursor* local = std::get_if<Cursor>(&position)) {
      raw.append(EncodeCursor(*local));
    } else {
      raw.append(kDone);
    }
  }
  return core::Base64UrlEncode(raw);
}

core::Result<SiteCursor> DecodeSiteCursor(std::string_view text) {
  std::string raw;
  if (text.size() > kMaxCursorBytes || !core::Base64UrlDecode(text, raw)) return BadCursor();
  std::string_view rest(raw);
  if (rest.substr(0, kVersion.size()) != kVersion) return BadCursor();
  rest.remove_prefix(kVersion.size());
  SiteCursor cursor;
  while (!rest.empty()) {
    if (rest.front() != '|') return BadCursor();
    rest.remove_prefix(1);
    const std::size_t next = std::min(rest.find('|'), rest.size());
    if (!ParsePosition(rest.substr(0, next), cursor)) return BadCursor();
    rest.remove_prefix(next);
  }
  if (EncodeSiteCursor(cursor) != text) return BadCursor();
  return cursor;
}

}  // namespace dataplane::api
