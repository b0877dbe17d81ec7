#include "parquet/file_writer.h"

#include <gtest/gtest.h>

#include "parquet/testing/bytes.h"

#include <stdexcept>
#include <string>
#include <vector>

#include "parquet/testing/compact_reader.h"

namespace dataplane::parquet {
namespace {

using testing::Le32;

using testing::CompactReader;
using testing::TValue;

class StringSink : public Sink {
 public:
  core::Status Write(std::string_view bytes) override {
    ++writes;
    if (fail_from_write != 0 && writes >= fail_from_write) {
      return core::Error::Unavailable("disk full");
    }
    data.append(bytes);
    return core::OkStatus();
  }

  std::string data;
  int writes = 0;
  int fail_from_write = 0;  // 1-based; 0 never fails
};

// The footer of a complete file, checking the framing on the way.
TValue Footer(const std::string& file) {
  EXPECT_GE(file.size(), 12u);
  EXPECT_EQ(file.substr(0, 4), "PAR1");
  EXPECT_EQ(file.substr(file.size() - 4), "PAR1");
  const std::uint32_t length = Le32(std::string_view(file).substr(file.size() - 8, 4));
  EXPECT_LE(length + 12, file.size());
  const std::string footer = file.substr(file.size() - 8 - length, length);
  CompactReader reader(footer);
  TValue v = reader.ReadStruct();
  EXPECT_EQ(reader.position(), footer.size());  // the length field covers exactly the footer
  return v;
}

std::vector<ColumnSpec> Columns() {
  return {{"id", ColumnType::kInt64, false, false},
          {"site", ColumnType::kString, true, true},
          {"score", ColumnType::kDouble, true, false}};
}

void WriteRow(FileWriter& w, std::int64_t id, const char* site, double score) {
  w.AppendInt64(0, id);
  if (site == nullptr) {
    w.AppendNull(1);
  } else {
    w.AppendBytes(1, site);
  }
  w.AppendDouble(2, score);
}

TEST(FileWriter, ZeroRowsIsAValidFile) {
  StringSink sink;
  FileWriter w(Columns(), {}, sink);
  ASSERT_TRUE(w.Close().ok());
  TValue f = Footer(sink.data);
  EXPECT_EQ(f.at(1).i, 2);
  EXPECT_EQ(f.at(3).i, 0);
  EXPECT_TRUE(f.at(4).list.empty());
  ASSERT_EQ(f.at(2).list.size(), 4u);
  EXPECT_EQ(f.at(2).list[0].at(5).i, 3);
  EXPECT_EQ(w.bytes_written(), sink.data.size());
  EXPECT_EQ(w.rows(), 0u);
  EXPECT_EQ(w.row_groups(), 0);
}

TEST(FileWriter, RowGroupsAreFlushedAtRowGroupRows) {
  StringSink sink;
  WriterOptions options;
  options.row_group_rows = 2;
  options.key_value_metadata = {{"table", "job"}};
  options.created_by = "dataplane test";
  FileWriter w(Columns(), options, sink);
  WriteRow(w, 1, "fab1", 0.5);
  ASSERT_TRUE(w.EndRow().ok());
  EXPECT_EQ(w.row_groups(), 0);
  EXPECT_EQ(w.bytes_written(), 4u);  // only the magic so far
  WriteRow(w, 2, nullptr, 1.5);
  ASSERT_TRUE(w.EndRow().ok());
  EXPECT_EQ(w.row_groups(), 1);
  EXPECT_GT(w.bytes_written(), 4u);
  WriteRow(w, 3, "fab2", -2.0);
  ASSERT_TRUE(w.EndRow().ok());
  EXPECT_EQ(w.rows(), 3u);
  ASSERT_TRUE(w.Close().ok());
  EXPECT_EQ(w.row_groups(), 2);
  EXPECT_EQ(w.bytes_written(), sink.data.size());

  TValue f = Footer(sink.data);
  EXPECT_EQ(f.at(3).i, 3);
  ASSERT_EQ(f.at(4).list.size(), 2u);
  EXPECT_EQ(f.at(4).list[0].at(3).i, 2);
  EXPECT_EQ(f.at(4).list[1].at(3).i, 1);
  EXPECT_EQ(f.at(4).list[0].at(5).i, 4);  // the first row group starts after the magic
  EXPECT_EQ(f.at(5).list.at(0).at(1).bin, "table");
  EXPECT_EQ(f.at(5).list.at(0).at(2).bin, "job");
  EXPECT_EQ(f.at(6).bin, "dataplane test");

  const TValue& site = f.at(4).list[0].at(1).list.at(1).at(3);
  EXPECT_EQ(site.at(3).list.at(0).bin, "site");
  EXPECT_EQ(site.at(5).i, 2);
  EXPECT_EQ(site.at(12).at(3).i, 1);
  EXPECT_EQ(site.at(12).at(6).bin, "fab1");
  EXPECT_EQ(sink.data.substr(static_cast<std::size_t>(site.at(11).i), 1), "\x15");  // a header

  // Column chunks follow each other: each starts where the previous one ends.
  std::int64_t expected_offset = 4;
  for (const TValue& group : f.at(4).list) {
    std::int64_t group_bytes = 0;
    for (const TValue& chunk : group.at(1).list) {
      const TValue& m = chunk.at(3);
      const std::int64_t start = m.has(11) ? m.at(11).i : m.at(9).i;
      EXPECT_EQ(start, expected_offset);
      expected_offset += m.at(7).i;
      group_bytes += m.at(7).i;
    }
    EXPECT_EQ(group.at(6).i, group_bytes);
  }
  // Then the page index of every chunk (page_index_test.cc), then the footer.
  std::int64_t page_index_bytes = 0;
  for (const TValue& group : f.at(4).list) {
    for (const TValue& chunk : group.at(1).list) {
      EXPECT_EQ(chunk.at(6).i, expected_offset + page_index_bytes) << "a column index";
      page_index_bytes += chunk.at(7).i;
    }
  }
  for (const TValue& group : f.at(4).list) {
    for (const TValue& chunk : group.at(1).list) page_index_bytes += chunk.at(5).i;
  }
  EXPECT_EQ(static_cast<std::size_t>(expected_offset + page_index_bytes) + 8 +
                Le32(sink.data.substr(sink.data.size() - 8, 4)),
            sink.data.size());
}

TEST(FileWriter, SchemaCarriesLogicalAndConvertedTypes) {
  StringSink sink;
  FileWriter w({{"at", ColumnType::kTimestamp, false},
                {"payload", ColumnType::kJson},
                {"uuid", ColumnType::kUuid},
                {"ok", ColumnType::kBoolean},
                {"n", ColumnType::kInt32}},
               {}, sink);
  ASSERT_TRUE(w.Close().ok());
  const TValue footer = Footer(sink.data);
  const std::vector<TValue>& schema = footer.at(2).list;
  ASSERT_EQ(schema.size(), 6u);
  EXPECT_EQ(schema[1].at(1).i, 2);   // INT64
  EXPECT_EQ(schema[1].at(3).i, 0);   // REQUIRED
  EXPECT_EQ(schema[1].at(6).i, 10);  // TIMESTAMP_MICROS
  EXPECT_TRUE(schema[1].at(10).has(8));
  EXPECT_EQ(schema[2].at(6).i, 19);  // JSON
  EXPECT_TRUE(schema[2].at(10).has(12));
  EXPECT_EQ(schema[3].at(1).i, 7);  // FIXED_LEN_BYTE_ARRAY
  EXPECT_EQ(schema[3].at(2).i, 16);
  EXPECT_TRUE(schema[3].at(10).has(14));
  EXPECT_EQ(schema[4].at(1).i, 0);  // BOOLEAN
  EXPECT_FALSE(schema[4].has(10));
  EXPECT_EQ(schema[5].at(1).i, 1);  // INT32
}

TEST(FileWriter, SinkErrorIsReturnedAndSticks) {
  StringSink sink;
  sink.fail_from_write = 2;  // the magic goes through, the first row group does not
  WriterOptions options;
  options.row_group_rows = 1;
  FileWriter w(Columns(), options, sink);
  WriteRow(w, 1, "fab1", 0.5);
  core::Status first = w.EndRow();
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().message, "disk full");
  WriteRow(w, 2, "fab1", 0.5);  // dropped, but still checked
  EXPECT_FALSE(w.EndRow().ok());
  core::Status close = w.Close();
  ASSERT_FALSE(close.ok());
  EXPECT_EQ(close.error().kind, core::ErrorKind::kUnavailable);
  EXPECT_EQ(w.bytes_written(), 4u);
  EXPECT_EQ(w.row_groups(), 0);
  EXPECT_FALSE(w.Close().ok());
}

TEST(FileWriter, FailedMagicFailsTheNextEndRow) {
  StringSink sink;
  sink.fail_from_write = 1;
  FileWriter w(Columns(), {}, sink);
  WriteRow(w, 1, "fab1", 0.5);
  EXPECT_FALSE(w.EndRow().ok());
  WriteRow(w, 2, "fab1", 0.5);  // a new row, not a doubled value
  EXPECT_FALSE(w.EndRow().ok());
  EXPECT_FALSE(w.Close().ok());
  EXPECT_EQ(w.bytes_written(), 0u);
  EXPECT_EQ(w.rows(), 0u);
}

TEST(FileWriter, ProgrammingErrorsThrow) {
  StringSink sink;
  FileWriter w(Columns(), {}, sink);
  EXPECT_THROW(w.AppendInt32(0, 1), std::logic_error);  // int64 column
  EXPECT_THROW(w.AppendBytes(0, "x"), std::logic_error);
  EXPECT_THROW(w.AppendNull(0), std::logic_error);      // required
  EXPECT_THROW(w.AppendInt64(3, 1), std::logic_error);  // no such column
  EXPECT_THROW(w.AppendInt64(-1, 1), std::logic_error);
  w.AppendInt64(0, 1);
  EXPECT_THROW(w.AppendInt64(0, 2), std::logic_error);  // twice in a row
  EXPECT_THROW(w.EndRow(), std::logic_error);           // site and score missing
  w.AppendNull(1);
  w.AppendDouble(2, 1.0);
  EXPECT_TRUE(w.EndRow().ok());  // the failed calls left the row consistent
  w.AppendNull(1);
  EXPECT_THROW(w.Close(), std::logic_error);  // inside a row
  w.AppendInt64(0, 2);
  w.AppendDouble(2, 2.0);
  ASSERT_TRUE(w.EndRow().ok());
  ASSERT_TRUE(w.Close().ok());
  EXPECT_EQ(Footer(sink.data).at(3).i, 2);
  EXPECT_THROW(w.AppendInt64(0, 3), std::logic_error);  // closed
  EXPECT_THROW(w.EndRow(), std::logic_error);
  EXPECT_THROW(w.Close(), std::logic_error);
}

TEST(FileWriter, UuidMustBeSixteenBytes) {
  StringSink sink;
  FileWriter w({{"id", ColumnType::kUuid, false}}, {}, sink);
  EXPECT_THROW(w.AppendBytes(0, "short"), std::logic_error);
  w.AppendBytes(0, std::string(16, '\x01'));
  EXPECT_TRUE(w.EndRow().ok());
}

TEST(FileWriter, InvalidSchemasThrow) {
  StringSink sink;
  EXPECT_THROW(FileWriter({}, {}, sink), std::logic_error);
  EXPECT_THROW(FileWriter({{"a", ColumnType::kInt64}, {"a", ColumnType::kInt32}}, {}, sink),
               std::logic_error);
  EXPECT_THROW(FileWriter({{"a", ColumnType::kInt64, true, true}}, {}, sink), std::logic_error);
  WriterOptions zero_rows;
  zero_rows.row_group_rows = 0;
  EXPECT_THROW(FileWriter({{"a", ColumnType::kInt64}}, zero_rows, sink), std::logic_error);
  EXPECT_TRUE(sink.data.empty());
}

TEST(FileWriter, EveryCodecProducesAFramedFile) {
  for (Codec codec : {Codec::kUncompressed, Codec::kSnappy, Codec::kZstd}) {
    StringSink sink;
    WriterOptions options;
    options.codec = codec;
    FileWriter w(Columns(), options, sink);
    for (int i = 0; i < 100; ++i) {
      WriteRow(w, i, i % 3 == 0 ? nullptr : "fab", i * 0.5);
      ASSERT_TRUE(w.EndRow().ok());
    }
    ASSERT_TRUE(w.Close().ok());
    TValue f = Footer(sink.data);
    EXPECT_EQ(f.at(4).list.at(0).at(1).list.at(0).at(3).at(4).i,
              codec == Codec::kZstd ? 6 : (codec == Codec::kSnappy ? 1 : 0));
  }
}

}  // namespace
}  // namespace dataplane::parquet
