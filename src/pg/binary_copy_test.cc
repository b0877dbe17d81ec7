// Tests of the binary COPY encoder: the exact bytes of the header, the trailer, lengths and
// each type's receive format (PostgreSQL's own round trip is in tests/integration/connection_test).
#include "pg/binary_copy.h"

#include <string>

#include <gtest/gtest.h>

namespace dataplane::pg {
namespace {

using namespace std::string_literals;

const std::string kHeader = "PGCOPY\n\xff\r\n\0"s + "\0\0\0\0\0\0\0\0"s;
const std::string kTrailer = "\xff\xff"s;

// The bytes one call writes into a row of its own: the row's field count (1) stripped.
template <typename Write>
std::string FieldBytes(Write write) {
  BinaryCopy copy;
  copy.BeginRow(1);
  write(copy);
  const std::string stream = copy.Take();
  EXPECT_EQ(stream.substr(0, kHeader.size()), kHeader);
  EXPECT_EQ(stream.substr(kHeader.size(), 2), "\0\1"s);
  EXPECT_TRUE(stream.ends_with(kTrailer));
  return stream.substr(kHeader.size() + 2, stream.size() - kHeader.size() - 2 - kTrailer.size());
}

TEST(BinaryCopyTest, AnEmptyStreamIsTheHeaderAndTheTrailer) {
  BinaryCopy copy;
  EXPECT_EQ(copy.Take(), kHeader + kTrailer);
  EXPECT_EQ(copy.Take(), kHeader + kTrailer) << "Take leaves a fresh stream behind";
}

TEST(BinaryCopyTest, TextIsItsLengthAndItsBytesUnescaped) {
  EXPECT_EQ(FieldBytes([](BinaryCopy& c) { c.Text("a\tb\\\n"); }), "\0\0\0\5a\tb\\\n"s);
  EXPECT_EQ(FieldBytes([](BinaryCopy& c) { c.Text(""); }), "\0\0\0\0"s) << "empty is not NULL";
  EXPECT_EQ(FieldBytes([](BinaryCopy& c) { c.Text(std::optional<std::string>()); }),
            "\xff\xff\xff\xff"s);
}

TEST(BinaryCopyTest, TimestampsCountMicrosecondsFrom2000) {
  EXPECT_EQ(FieldBytes([](BinaryCopy& c) { c.TimestampTz(946'684'800'000'001); }),
            "\0\0\0\x08"s + "\0\0\0\0\0\0\0\1"s);
  EXPECT_EQ(FieldBytes([](BinaryCopy& c) { c.TimestampTz(946'684'799'999'999); }),
            "\0\0\0\x08"s + "\xff\xff\xff\xff\xff\xff\xff\xff"s)
      << "before 2000 is negative";
}

TEST(BinaryCopyTest, Float8IsBigEndianIeee) {
  EXPECT_EQ(FieldBytes([](BinaryCopy& c) { c.Float8(1.5); }), "\0\0\0\x08\x3f\xf8\0\0\0\0\0\0"s);
  EXPECT_EQ(FieldBytes([](BinaryCopy& c) { c.Float8(std::optional<double>()); }),
            "\xff\xff\xff\xff"s);
}

TEST(BinaryCopyTest, UuidIsSixteenBytesAndAnythingElseHasTheWrongLength) {
  EXPECT_EQ(FieldBytes([](BinaryCopy& c) { c.Uuid("0e8f7a6b-5c4d-4e3f-9a2b-1c0d9e8fFA6B"); }),
            "\0\0\0\x10\x0e\x8f\x7a\x6b\x5c\x4d\x4e\x3f\x9a\x2b\x1c\x0d\x9e\x8f\xfa\x6b"s);
  for (const char* bad :
       {"0e8f7a6b5c4d4e3f9a2b1c0d9e8ffa6b", "0e8f7a6b-5c4d-4e3f-9a2b-1c0d9e8ffa6",
        "0e8f7a6b-5c4d-4e3f-9a2b-1c0d9e8ffa6g", "0e8f7a6b+5c4d-4e3f-9a2b-1c0d9e8ffa6b"}) {
    EXPECT_EQ(FieldBytes([&](BinaryCopy& c) { c.Uuid(bad); }), "\0\0\0\0"s) << bad;
  }
}

TEST(BinaryCopyTest, JsonbIsVersionOneAndTheText) {
  EXPECT_EQ(FieldBytes([](BinaryCopy& c) { c.Jsonb(R"({"a":1})"); }), "\0\0\0\x08\x01{\"a\":1}"s);
}

TEST(BinaryCopyTest, RowsFollowOneAnother) {
  BinaryCopy copy;
  copy.BeginRow(2);
  copy.Text("x");
  copy.Null();
  copy.BeginRow(2);
  copy.Null();
  copy.Text("y");
  EXPECT_EQ(copy.Take(), kHeader + "\0\2\0\0\0\1x\xff\xff\xff\xff"s +
                             "\0\2\xff\xff\xff\xff\0\0\0\1y"s + kTrailer);
}

}  // namespace
}  // namespace dataplane::pg
