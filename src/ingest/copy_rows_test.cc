// Tests of the COPY text-format rows the writer streams into event: every value
// comes back byte for byte when decoded as PostgreSQL decodes COPY text, absent optionals are NULL,
// and a value that reads like the NULL marker stays a value.
#include "ingest/copy_rows.h"

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace dataplane::ingest {
namespace {

// Splits one COPY text row into its fields, decoding the escapes PostgreSQL decodes
// (\\ \t \n \r, and \N alone as NULL).
std::vector<std::optional<std::string>> DecodeRow(const std::string& row) {
  std::vector<std::optional<std::string>> fields;
  std::string field;
  bool raw_null = false;
  for (std::size_t i = 0; i < row.size(); ++i) {
    const char c = row[i];
    if (c == '\t' || c == '\n') {
      fields.push_back(raw_null && field.empty() ? std::nullopt : std::optional(field));
      field.clear();
      raw_null = false;
      continue;
    }
    if (c != '\\') {
      field.push_back(c);
      continue;
    }
    const char next = row.at(++i);
    if (next == 'N' && field.empty() && (i + 1 == row.size() || row[i + 1] == '\t')) {
      raw_null = true;
    } else if (next == 't') {
      field.push_back('\t');
    } else if (next == 'n') {
      field.push_back('\n');
    } else if (next == 'r') {
      field.push_back('\r');
    } else {
      field.push_back(next);  // "\\" and any other escaped character stand for themselves
    }
  }
  return fields;
}

Event Tricky() {
  Event e;
  e.idempotency_key = "key\twith\ttabs";
  e.site_id = "fab\\1";
  e.app_id = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
  e.app_name = "line\nbreak\r\ncarriage";
  e.app_version = std::nullopt;
  e.entity_id = "0e8f7a6b-5c4d-4e3f-9a2b-1c0d9e8f7a6b";
  e.business_key = "\\N";  // a value that reads like the NULL marker
  e.sub_key = "wafer \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";  // é € 😀
  e.at = 1795928400123456;
  e.duration_s = 1.5;
  e.metadata_json = R"({"path":"C:\\recipes\\r12","note":"a\tb"})";
  e.payload_json = R"({"x":"\\N\t\n"})";
  return e;
}

TEST(CopyRowsTest, EveryEventValueComesBackByteForByte) {
  const Event e = Tricky();
  std::string row;
  AppendEventRow(row, e);
  ASSERT_TRUE(row.ends_with('\n'));
  EXPECT_EQ(std::count(row.begin(), row.end(), '\n'), 1);
  const auto fields = DecodeRow(row);
  ASSERT_EQ(fields.size(), 17u) << row;  // kCopyEvent's columns
  EXPECT_EQ(fields[0], e.idempotency_key);
  EXPECT_EQ(fields[2], e.site_id);
  EXPECT_EQ(fields[3], e.app_id);
  EXPECT_EQ(fields[4], "job");
  EXPECT_EQ(fields[5], e.entity_id);
  EXPECT_EQ(fields[6], std::nullopt) << "absent parent_id is NULL";
  EXPECT_EQ(fields[7], "\\N") << "a value spelled like the marker stays a value";
  EXPECT_EQ(fields[8], e.sub_key);
  EXPECT_EQ(fields[11], "1.5");
  EXPECT_EQ(fields[15], e.metadata_json);
  EXPECT_EQ(fields[16], e.payload_json);
}

TEST(CopyRowsTest, RowsAppendOneAfterAnother) {
  std::string events;
  AppendEventRow(events, Tricky());
  AppendEventRow(events, Tricky());
  EXPECT_EQ(std::count(events.begin(), events.end(), '\n'), 2);
  EXPECT_EQ(DecodeRow(events.substr(events.find('\n') + 1)).size(), 17u);
}

}  // namespace
}  // namespace dataplane::ingest
