#include "pg/binary_copy_reader.h"

#include <gtest/gtest.h>

#include <functional>
#include <limits>
#include <string>

#include "pg/binary_copy.h"
#include "pg/binary_fields.h"

namespace dataplane::pg {
namespace {

using Row = std::vector<std::optional<std::string_view>>;

// The binary COPY stream of `rows` (via BinaryCopy), cut into libpq's messages: the header with
// the first row, each further row, the trailer.
std::vector<std::string> Messages(const std::vector<std::function<void(BinaryCopy&)>>& rows) {
  BinaryCopy empty;
  const std::string header_and_trailer = empty.Take();
  const std::size_t header = header_and_trailer.size() - 2;
  std::vector<std::string> messages;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    BinaryCopy copy;
    rows[i](copy);
    const std::string stream = copy.Take();
    messages.push_back(
        stream.substr(i == 0 ? 0 : header, stream.size() - 2 - (i == 0 ? 0 : header)));
  }
  messages.push_back(header_and_trailer.substr(rows.empty() ? 0 : header));
  return messages;
}

TEST(BinaryCopyReader, ReadsRowsBackAsTheWriterSentThem) {
  const auto messages = Messages({
      [](BinaryCopy& c) {
        c.BeginRow(4);
        c.Text("grüße");
        c.Null();
        c.Int8(-42);
        c.TimestampTz(1'700'000'000'123'456);
      },
      [](BinaryCopy& c) {
        c.BeginRow(4);
        c.Text("");
        c.Float8(-0.5);
        c.Bool(true);
        c.Jsonb(R"({"a":1})");
      },
  });
  ASSERT_EQ(messages.size(), 3u);
  BinaryCopyReader reader(4);
  Row row;
  ASSERT_EQ(reader.Next(messages[0], row).value(), true);
  EXPECT_EQ(*row[0], "grüße");
  EXPECT_FALSE(row[1].has_value());
  EXPECT_EQ(BinaryInt(*row[2]), -42);
  EXPECT_EQ(BinaryTimestampTz(*row[3]), 1'700'000'000'123'456);
  ASSERT_EQ(reader.Next(messages[1], row).value(), true);
  EXPECT_EQ(*row[0], "");
  EXPECT_EQ(BinaryFloat8(*row[1]), -0.5);
  EXPECT_TRUE(BinaryBool(*row[2]));
  EXPECT_EQ(BinaryJsonbText(*row[3]), R"({"a":1})");
  EXPECT_EQ(reader.Next(messages[2], row).value(), false);
}

TEST(BinaryCopyReader, AnEmptyStreamIsItsHeaderAndTrailer) {
  const auto messages = Messages({});
  ASSERT_EQ(messages.size(), 1u);
  BinaryCopyReader reader(3);
  Row row;
  EXPECT_EQ(reader.Next(messages[0], row).value(), false);
}

TEST(BinaryCopyReader, RefusesWhatIsMalformedWithoutReadingPastIt) {
  const auto messages = Messages({[](BinaryCopy& c) {
    c.BeginRow(2);
    c.Text("abc");
    c.Int4(7);
  }});
  const std::string& good = messages[0];
  for (std::size_t cut = 0; cut < good.size(); ++cut) {
    BinaryCopyReader reader(2);
    Row row;
    EXPECT_FALSE(reader.Next(good.substr(0, cut), row).ok()) << cut;
  }
  BinaryCopyReader wrong_count(3);
  Row row;
  auto refused = wrong_count.Next(good, row);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("2 fields, expected 3"), std::string::npos);
  std::string bad_signature = good;
  bad_signature[0] = 'X';
  BinaryCopyReader reader(2);
  EXPECT_FALSE(reader.Next(bad_signature, row).ok());
  BinaryCopyReader trailing(2);
  EXPECT_FALSE(trailing.Next(good + "x", row).ok());
}

TEST(BinaryFields, DecodeTheSendFormats) {
  EXPECT_EQ(BinaryInt(std::string("\xff\xfe", 2)), -2);
  EXPECT_EQ(BinaryInt(std::string("\x00\x00\x01\x00", 4)), 256);
  EXPECT_EQ(BinaryInt(std::string(9, '\1')), 0);  // longer than an int8
  EXPECT_EQ(BinaryFloat8("abc"), 0);
  EXPECT_FALSE(BinaryBool(""));
  EXPECT_EQ(BinaryJsonbText(""), "");
  // ±infinity stay at the extremes instead of overflowing.
  EXPECT_EQ(BinaryTimestampTz(std::string("\x7f\xff\xff\xff\xff\xff\xff\xff", 8)),
            std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(BinaryTimestampTz(std::string("\x80\x00\x00\x00\x00\x00\x00\x00", 8)),
            std::numeric_limits<std::int64_t>::min());
}

}  // namespace
}  // namespace dataplane::pg
