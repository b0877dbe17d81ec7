#include "core/utf8.h"

#include <cstdint>
#include <cstring>

namespace dataplane::core {

std::size_t Utf8SequenceLength(const unsigned char* p, const unsigned char* end) {
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
    return 0;
  }
  if (end - p <= extra) return 0;
  for (int i = 1; i <= extra; ++i) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    cp = cp << 6 | (p[i] & 0x3F);
  }
  static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  if (cp < kMin[extra] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
  return static_cast<std::size_t>(extra) + 1;
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
    const std::size_t length = Utf8SequenceLength(p, end);
    if (length == 0) return false;
    p += length;
  }
  return true;
}

}  // namespace dataplane::core
