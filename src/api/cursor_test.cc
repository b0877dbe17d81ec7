// Tests of the opaque keyset cursor: what EncodeCursor writes, DecodeCursor reads back, and
// nothing else is accepted.
#include "api/cursor.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace dataplane::api {
namespace {

constexpr char kId[] = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";

// An independent base64url encoder (no padding), to forge cursors around chosen plain texts.
std::string Base64Url(const std::string& in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const std::uint32_t n = static_cast<std::uint8_t>(in[i]) << 16 |
                            static_cast<std::uint8_t>(in[i + 1]) << 8 |
                            static_cast<std::uint8_t>(in[i + 2]);
    for (int shift : {18, 12, 6, 0}) out.push_back(kAlphabet[n >> shift & 0x3F]);
  }
  if (in.size() - i == 1) {
    const std::uint32_t n = static_cast<std::uint8_t>(in[i]) << 16;
    for (int shift : {18, 12}) out.push_back(kAlphabet[n >> shift & 0x3F]);
  } else if (in.size() - i == 2) {
    const std::uint32_t n =
        static_cast<std::uint8_t>(in[i]) << 16 | static_cast<std::uint8_t>(in[i + 1]) << 8;
    for (int shift : {18, 12, 6}) out.push_back(kAlphabet[n >> shift & 0x3F]);
  }
  return out;
}

void ExpectRefused(const std::string& text) {
  auto cursor = DecodeCursor(text);
  ASSERT_FALSE(cursor.ok()) << "accepted '" << text << "' as " << cursor->last_event_at << " "
                            << cursor->id;
  EXPECT_EQ(cursor.error().kind, core::ErrorKind::kInvalidInput);
  EXPECT_EQ(cursor.error().code, "invalid_cursor");
  EXPECT_EQ(cursor.error().field, "cursor");
}

TEST(CursorTest, RoundTrip) {
  const std::vector<core::Micros> times = {0,
                                           1,
                                           -1,
                                           1795928400123456,
                                           -62135596800000000,
                                           253402300799999999,
                                           std::numeric_limits<core::Micros>::max(),
                                           std::numeric_limits<core::Micros>::min()};
  for (core::Micros t : times) {
    for (const char* id :
         {kId, "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff"}) {
      const Cursor cursor{t, id};
      const std::string text = EncodeCursor(cursor);
      auto decoded = DecodeCursor(text);
      ASSERT_TRUE(decoded.ok()) << t << " " << id << " -> " << text << ": "
                                << decoded.error().message;
      EXPECT_EQ(*decoded, cursor) << text;
    }
  }
}

TEST(CursorTest, EncodingIsUrlSafeWithoutPadding) {
  const std::string text = EncodeCursor({std::numeric_limits<core::Micros>::min(), kId});
  EXPECT_LE(text.size(), 128u);
  for (char c : text) {
    const bool safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_';
    EXPECT_TRUE(safe) << "'" << c << "' in " << text;
  }
  EXPECT_EQ(EncodeCursor({1795928400123456, kId}),
            Base64Url(std::string("c1|1795928400123456|") + kId));
}

TEST(CursorTest, DifferentCursorsEncodeDifferently) {
  EXPECT_NE(EncodeCursor({1, kId}), EncodeCursor({2, kId}));
  EXPECT_NE(EncodeCursor({1, kId}), EncodeCursor({-1, kId}));
  EXPECT_NE(EncodeCursor({1, kId}), EncodeCursor({1, "1b4e28ba-2fa1-11d2-883f-0016d3cca428"}));
}

TEST(CursorTest, GarbageIsRefused) {
  for (const char* text :
       {"", "A", "abc", "not a cursor", "!!!!", "c1|0|x", "%3D%3D", "YzF8MHwx====", "c1", "===="}) {
    ExpectRefused(text);
  }
  ExpectRefused(std::string(80, 'A'));
  ExpectRefused(std::string("YzF8\0MHw", 8));
}

TEST(CursorTest, ForgedPlainTextsAreRefused) {
  const std::string id = kId;
  const std::vector<std::string> plains = {
      "c2|0|" + id, "C1|0|" + id, "|0|" + id, "c1||" + id, "c1|x|" + id, "c1|1.5|" + id,
      "c1| 1|" + id, "c1|1 |" + id, "c1|1e6|" + id, "c1|99999999999999999999|" + id,
      "c1|0|" + id.substr(1), "c1|0|" + id + "0", "c1|0|{" + id + "}",
      std::string("c1|0|not-a-uuid"), std::string("c1|0|"), std::string("c1|0"),
      "c1|0|" + id + "|extra", "c1;0;" + id, "c10|" + id,
      // Spellings of valid values that EncodeCursor never
      // writes.
      "c1|-0|" + id, "c1|007|" + id, "c1|0|1B4E28BA-2FA1-11D2-883F-0016D3CCA427"};
  for (const std::string& plain : plains) {
    SCOPED_TRACE(plain);
    ExpectRefused(Base64Url(plain));
  }
}

TEST(CursorTest, TruncatedCursorsAreRefused) {
  for (core::Micros t : {core::Micros{0}, core::Micros{-1}, core::Micros{1795928400123456}}) {
    const std::string text = EncodeCursor({t, kId});
    for (std::size_t n = 0; n < text.size(); ++n) {
      SCOPED_TRACE(n);
      ExpectRefused(text.substr(0, n));
    }
  }
}

TEST(CursorTest, ExtendedOrAlteredCursorsAreRefused) {
  // Each time value gives a plain text of a different length modulo 3, so that every way the
  // last base64 group can end is covered.
  for (core::Micros t : {core::Micros{0}, core::Micros{10}, core::Micros{100}}) {
    const std::string text = EncodeCursor({t, kId});
    SCOPED_TRACE(text);
    for (const char* suffix : {"A", "AA", "AAA", "AAAA", "_", "=", " ", "\n", "."}) {
      SCOPED_TRACE(suffix);
      ExpectRefused(text + suffix);
    }
    ExpectRefused(" " + text);
    ExpectRefused(text + std::string(200, 'A'));
    // '+' and '/' are the standard alphabet's spelling of '-' and '_'.
    std::string standard = text;
    for (char& c : standard) {
      if (c == '-') c = '+';
      if (c == '_') c = '/';
    }
    if (standard != text) ExpectRefused(standard);
  }
}

TEST(CursorTest, NonCanonicalTrailingBitsAreRefused) {
  // c1|0|<id> is 41 bytes: 13 full groups and 2 bytes, whose last character carries 2 unused
  // bits. EncodeCursor leaves them zero; a cursor with them set is not one it could write.
  const std::string text = EncodeCursor({0, kId});
  ASSERT_EQ(text.size(), 55u);
  std::string altered = text;
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const std::size_t last = std::string_view(kAlphabet).find(altered.back());
  ASSERT_EQ(last % 4, 0u);
  altered.back() = kAlphabet[last + 1];
  ExpectRefused(altered);
}

TEST(CursorTest, TooLongIsRefused) {
  // 300 digits of time: a plain text EncodeCursor never writes, longer than 128 characters.
  ExpectRefused(Base64Url("c1|" + std::string(300, '1') + "|" + std::string(kId)));
  ExpectRefused(std::string(129, 'A'));
  ExpectRefused(std::string(10000, 'Y'));
}

}  // namespace
}  // namespace dataplane::api
