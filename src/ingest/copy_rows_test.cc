// Tests of the binary COPY rows the writer streams into event: kEventRowFields fields per row in
// kCopyEvent's order, every text and JSON value byte for byte (nothing escaped), ids as 16-byte
// UUIDs, absent optionals NULL, and a value that reads like a NULL marker stays a value.
#include "ingest/copy_rows.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace dataplane::ingest {
namespace {

constexpr std::size_t kHeaderSize = 19;

std::int32_t BigEndian(const std::string& s, std::size_t at, int bytes) {
  std::uint32_t v = 0;
  for (int i = 0; i < bytes; ++i) v = v << 8 | static_cast<unsigned char>(s.at(at + i));
  return bytes == 2 ? static_cast<std::int16_t>(v) : static_cast<std::int32_t>(v);
}

// The rows of a binary COPY stream, each a list of fields (nullopt for NULL).
std::vector<std::vector<std::optional<std::string>>> DecodeRows(const std::string& stream) {
  std::vector<std::vector<std::optional<std::string>>> rows;
  std::size_t at = kHeaderSize;
  for (std::int32_t count; (count = BigEndian(stream, at, 2)) != -1;) {
    at += 2;
    auto& row = rows.emplace_back();
    for (int f = 0; f < count; ++f) {
      const std::int32_t length = BigEndian(stream, at, 4);
      at += 4;
      if (length < 0) {
        row.emplace_back(std::nullopt);
        continue;
      }
      row.emplace_back(stream.substr(at, length));
      at += length;
    }
  }
  EXPECT_EQ(at + 2, stream.size()) << "the trailer ends the stream";
  return rows;
}

Event Tricky() {
  Event e;
  e.idempotency_key = "key\twith\ttabs";
  e.site_id = "fab\\1";
  e.app_id = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
  e.app_name = "line\nbreak\r\ncarriage";
  e.app_version = std::nullopt;
  e.entity_id = "0e8f7a6b-5c4d-4e3f-9a2b-1c0d9e8f7a6b";
  e.business_key = "\\N";  // a value that reads like the text format's NULL marker
  e.sub_key = "wafer \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";  // é € 😀
  e.at = 1795928400123456;
  e.duration_s = 1.5;
  e.metadata_json = R"({"path":"C:\\recipes\\r12","note":"a\tb"})";
  e.payload_json = R"({"x":"\\N\t\n"})";
  return e;
}

TEST(CopyRowsTest, EveryEventValueComesBackByteForByte) {
  const Event e = Tricky();
  pg::BinaryCopy copy;
  AppendEventRow(copy, e);
  const auto rows = DecodeRows(copy.Take());
  ASSERT_EQ(rows.size(), 1u);
  const auto& fields = rows[0];
  ASSERT_EQ(fields.size(), static_cast<std::size_t>(kEventRowFields));
  EXPECT_EQ(fields[0], e.idempotency_key);
  EXPECT_EQ(fields[1]->size(), 8u) << "at: a binary timestamp";
  EXPECT_EQ(fields[2], e.site_id);
  EXPECT_EQ(fields[3],
            std::string("\x6f\x1c\x2a\x3b\x4d\x5e\x4f\x60\x8a\x7b\x9c\x0d\x1e\x2f\x3a\x4b", 16));
  EXPECT_EQ(fields[4], "job");
  EXPECT_EQ(fields[5]->size(), 16u);
  EXPECT_EQ(fields[6], std::nullopt) << "absent parent_id is NULL";
  EXPECT_EQ(fields[7], "\\N") << "a value spelled like the marker stays a value";
  EXPECT_EQ(fields[8], e.sub_key);
  EXPECT_EQ(fields[9], "started");
  EXPECT_EQ(fields[10], "running");
  EXPECT_EQ(fields[11]->size(), 8u) << "duration_s: a float8";
  EXPECT_EQ(fields[12], std::nullopt) << "absent figures are NULL";
  EXPECT_EQ(fields[15], "\x01" + e.metadata_json);
  EXPECT_EQ(fields[16], "\x01" + e.payload_json);
}

TEST(CopyRowsTest, RowsAppendOneAfterAnother) {
  pg::BinaryCopy copy;
  AppendEventRow(copy, Tricky());
  AppendEventRow(copy, Tricky());
  const auto rows = DecodeRows(copy.Take());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], rows[1]);
}

}  // namespace
}  // namespace dataplane::ingest
