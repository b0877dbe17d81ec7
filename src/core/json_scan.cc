#include "core/json_scan.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/utf8.h"

namespace dataplane::core {
namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighs = 0x8080808080808080ULL;

// Whether one of the word's eight bytes is zero (exact for the word as a whole).
constexpr std::uint64_t HasZeroByte(std::uint64_t w) { return (w - kOnes) & ~w & kHighs; }

// The bytes of a word of string text that end its fast path: '"', '\\', a control character
// (< 0x20) or a byte of a multi-byte UTF-8 sequence (>= 0x80), as their high bits. Each term may
// also mark bytes above its first true one (a borrow), never below, so the lowest bit set is
// exact: the first such byte (the word read little-endian).
constexpr std::uint64_t CareBytes(std::uint64_t w) {
  return HasZeroByte(w ^ (kOnes * '"')) | HasZeroByte(w ^ (kOnes * '\\')) |
         ((w - kOnes * 0x20) & ~w & kHighs) | (w & kHighs);
}

// The first byte from p that ends a string's fast path (see CareBytes); `end` when none.
const char* NextCareByte(const char* p, const char* end) {
  while (end - p >= 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    if constexpr (std::endian::native == std::endian::little) {
      const std::uint64_t care = CareBytes(word);
      if (care != 0) return p + std::countr_zero(care) / 8;
      p += 8;
    } else {
      if (CareBytes(word) != 0) break;
      p += 8;
    }
  }
  while (p < end) {
    const auto c = static_cast<unsigned char>(*p);
    if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) return p;
    ++p;
  }
  return end;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The code unit of the four hex digits at p (end - p >= 4 checked by the caller); -1: not hex.
long HexUnit(const char* p) {
  long unit = 0;
  for (int i = 0; i < 4; ++i) {
    const int digit = HexValue(p[i]);
    if (digit < 0) return -1;
    unit = unit << 4 | digit;
  }
  return unit;
}

// Whether the number text (grammatical) is within a double's range, as ParseJson requires.
bool IsFiniteNumber(std::string_view number) {
  const std::string copy(number);
  return std::isfinite(std::strtod(copy.c_str(), nullptr));
}

Error InvalidUtf8() { return Error::Malformed("invalid_utf8", "request body is not valid UTF-8"); }

}  // namespace

JsonScanner::JsonScanner(std::string_view text, std::size_t max_depth)
    : text_(text), max_depth_(max_depth) {}

bool JsonScanner::FailToEnter(char open) {
  if (Peek() != open) return Fail(std::string("expected '") + open + "'");
  return FailAt(Error::Malformed(
      "too_deeply_nested", "JSON nested deeper than " + std::to_string(max_depth_) + " levels"));
}

bool JsonScanner::AtEnd() { return !failed() && Peek() == '\0' && pos_ == text_.size(); }

bool JsonScanner::Finish() { return AtEnd() || Fail("more after the document"); }

bool JsonScanner::Fail(std::string_view what) {
  return FailAt(Error::Malformed("malformed_json", "malformed JSON: " + std::string(what) +
                                                       " at byte " + std::to_string(pos_)));
}

// Invalid UTF-8 anywhere is named as such, whatever broke first (as ParseJson, which checks it
// before the grammar).
bool JsonScanner::FailAt(Error error) {
  if (failed_) return false;
  failed_ = true;
  status_ = IsValidUtf8(text_) ? std::move(error) : InvalidUtf8();
  return false;
}

std::string_view JsonScanner::String() {
  if (Peek() != '"') {
    Fail("expected a string");
    return {};
  }
  const std::size_t begin = pos_;
  const char* p = text_.data() + pos_ + 1;
  const char* const end = text_.data() + text_.size();
  for (;;) {
    p = NextCareByte(p, end);
    if (p >= end) {
      pos_ = text_.size();
      Fail("unterminated string");
      return {};
    }
    const auto c = static_cast<unsigned char>(*p);
    if (c == '"') break;
    if (c == '\\') {
      if (!SkipEscape(p)) return {};
    } else if (c < 0x20) {
      pos_ = static_cast<std::size_t>(p - text_.data());
      Fail("a control character in a string");
      return {};
    } else if (c >= 0x80) {
      const std::size_t length = Utf8SequenceLength(reinterpret_cast<const unsigned char*>(p),
                                                    reinterpret_cast<const unsigned char*>(end));
      if (length == 0) {
        pos_ = static_cast<std::size_t>(p - text_.data());
        FailAt(InvalidUtf8());
        return {};
      }
      p += length;
    }
  }
  pos_ = static_cast<std::size_t>(p - text_.data()) + 1;
  return Slice(begin);
}

// An escape at p ('\\'); p moves past it. A \u high surrogate must be followed by a \u low one.
bool JsonScanner::SkipEscape(const char*& p) {
  const char* const end = text_.data() + text_.size();
  pos_ = static_cast<std::size_t>(p - text_.data());
  if (end - p < 2) return Fail("unterminated string");
  const char kind = p[1];
  if (kind != 'u') {
    if (std::strchr("\"\\/bfnrt", kind) == nullptr || kind == '\0') {
      return Fail("an invalid escape in a string");
    }
    p += 2;
    return true;
  }
  const long unit = end - p >= 6 ? HexUnit(p + 2) : -1;
  if (unit < 0) return Fail("an invalid \\u escape in a string");
  p += 6;
  if (unit >= 0xDC00 && unit <= 0xDFFF) return Fail("a lone low surrogate in a \\u escape");
  if (unit < 0xD800 || unit > 0xDBFF) return true;
  const long low = end - p >= 6 && p[0] == '\\' && p[1] == 'u' ? HexUnit(p + 2) : -1;
  if (low < 0xDC00 || low > 0xDFFF) return Fail("a high surrogate without its low half");
  p += 6;
  return true;
}

std::string_view JsonScanner::Value() {
  const char first = Peek();
  const std::size_t begin = pos_;
  if (first == '"') return String();
  if (!SkipValue()) return {};
  return Slice(begin);
}

bool JsonScanner::SkipValue() {
  switch (Peek()) {
    case '"':
      return !String().empty();
    case '{':
      return SkipContainer('{', '}');
    case '[':
      return SkipContainer('[', ']');
    case 't':
      return SkipLiteral("true");
    case 'f':
      return SkipLiteral("false");
    case 'n':
      return SkipLiteral("null");
    default:
      if (failed()) return false;
      if (pos_ >= text_.size()) return Fail("expected a value, found the end");
      if (text_[pos_] == '-' || IsDigit(text_[pos_])) return SkipNumber();
      return Fail("expected a value");
  }
}

bool JsonScanner::SkipContainer(char open, char close) {
  if (!Enter(open)) return false;
  if (Leave(close)) return true;
  do {
    if (open == '{') {
      if (String().empty()) return false;
      if (!Consume(':')) return Fail("expected ':'");
    }
    if (!SkipValue()) return false;
  } while (Consume(','));
  if (!Leave(close)) return Fail(std::string("expected ',' or '") + close + "'");
  return true;
}

bool JsonScanner::SkipNumber() {
  const std::size_t begin = pos_;
  const std::size_t size = text_.size();
  auto digits = [&] {
    const std::size_t from = pos_;
    while (pos_ < size && IsDigit(text_[pos_])) ++pos_;
    return pos_ - from;
  };
  if (text_[pos_] == '-') ++pos_;
  if (pos_ < size && text_[pos_] == '0') {
    ++pos_;
  } else if (digits() == 0) {
    return Fail("a number without digits");
  }
  bool exponent = false;
  if (pos_ < size && text_[pos_] == '.') {
    ++pos_;
    if (digits() == 0) return Fail("a number without digits after '.'");
  }
  if (pos_ < size && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
    ++pos_;
    if (pos_ < size && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
    if (digits() == 0) return Fail("a number without digits in its exponent");
    exponent = true;
  }
  // Only an exponent or more than 300 digits can leave a double's range.
  const std::string_view number = text_.substr(begin, pos_ - begin);
  if ((exponent || number.size() > 300) && !IsFiniteNumber(number)) {
    pos_ = begin;
    return Fail("a number too large for a double");
  }
  return true;
}

bool JsonScanner::SkipLiteral(std::string_view literal) {
  if (text_.substr(pos_, literal.size()) != literal) return Fail("expected a value");
  pos_ += literal.size();
  return true;
}

}  // namespace dataplane::core
