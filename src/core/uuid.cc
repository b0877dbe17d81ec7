#include "core/uuid.h"

namespace dataplane::core {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsHyphenPosition(std::size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

}  // namespace

Result<Uuid> ParseUuid(std::string_view text) {
  if (text.size() != 36) {
    return Error::Invalid("invalid_uuid", "",
                          "expected a UUID like 1b4e28ba-2fa1-11d2-883f-0016d3cca427");
  }
  Uuid out{};
  std::size_t byte = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (IsHyphenPosition(i)) {
      if (text[i] != '-') return Error::Invalid("invalid_uuid", "", "UUID hyphens misplaced");
      ++i;
      continue;
    }
    const int hi = HexValue(text[i]);
    const int lo = i + 1 < text.size() ? HexValue(text[i + 1]) : -1;
    if (hi < 0 || lo < 0) return Error::Invalid("invalid_uuid", "", "UUID has a non-hex digit");
    out[byte++] = static_cast<std::uint8_t>(hi << 4 | lo);
    i += 2;
  }
  return out;
}

void AppendUuid(std::string& out, const Uuid& uuid) {
  static constexpr char kHex[] = "0123456789abcdef";
  char text[36];
  std::size_t at = 0;
  for (std::size_t i = 0; i < uuid.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text[at++] = '-';
    text[at++] = kHex[uuid[i] >> 4];
    text[at++] = kHex[uuid[i] & 0xf];
  }
  out.append(text, sizeof text);
}

std::string FormatUuid(const Uuid& uuid) {
  std::string out;
  AppendUuid(out, uuid);
  return out;
}

bool IsUuid(std::string_view text) { return ParseUuid(text).ok(); }

}  // namespace dataplane::core
