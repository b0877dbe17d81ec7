#include "parquet/page_index.h"

#include <gtest/gtest.h>

#include "parquet/testing/bytes.h"

#include <string>
#include <vector>

#include "parquet/file_writer.h"
#include "parquet/plain_encoder.h"
#include "parquet/testing/compact_reader.h"
#include "parquet/testing/string_sink.h"

namespace dataplane::parquet {
namespace {

using testing::Le32;

using testing::CompactReader;
using testing::StringSink;
using testing::TValue;

TEST(PageIndexBounds, ShortValuesAndOtherTypesStayWhole) {
  EXPECT_EQ(IndexMin(PhysicalType::kByteArray, "abc"), "abc");
  EXPECT_EQ(IndexMax(PhysicalType::kByteArray, std::string(64, 'z')), std::string(64, 'z'));
  const std::string uuid(16, '\xff');
  EXPECT_EQ(IndexMax(PhysicalType::kFixedLenByteArray, uuid), uuid);
}

TEST(PageIndexBounds, LongStringsAreCutToBoundsThatStillHoldThem) {
  const std::string value = std::string(70, 'a') + "{tail}";
  const std::string min = IndexMin(PhysicalType::kByteArray, value);
  const std::string max = IndexMax(PhysicalType::kByteArray, value);
  EXPECT_EQ(min, std::string(64, 'a'));
  EXPECT_EQ(max, std::string(63, 'a') + "b");
  EXPECT_LE(min, value);
  EXPECT_GT(max, value);
}

TEST(PageIndexBounds, CutsFallOnUtf8CharacterBoundaries) {
  std::string value = "a";
  for (int i = 0; i < 50; ++i) value += "é";  // two bytes each: byte 64 continues a character
  const std::string min = IndexMin(PhysicalType::kByteArray, value);
  EXPECT_EQ(min.size(), 63u);
  EXPECT_EQ(min, value.substr(0, 63));
  EXPECT_EQ(IndexMax(PhysicalType::kByteArray, value), "b");  // the last ASCII byte, raised
  const std::string no_ascii(80, '\xff');
  EXPECT_EQ(IndexMax(PhysicalType::kByteArray, no_ascii), no_ascii);  // cannot be shortened
}

TValue Decode(const std::string& file, std::int64_t offset, std::int64_t length) {
  const std::string bytes =
      file.substr(static_cast<std::size_t>(offset), static_cast<std::size_t>(length));
  CompactReader reader(bytes);
  TValue value = reader.ReadStruct();
  EXPECT_EQ(reader.position(), bytes.size());
  return value;
}

std::string PlainInt64(std::int64_t v) {
  std::string out;
  AppendPlainInt64(v, out);
  return out;
}

// 3 row groups of 400 rows; "id" (0, 1, 2, …) in pages of about 800 bytes (100 values), "gone"
// NULL everywhere, "name" strings.
std::string FileWithManyPages() {
  StringSink sink;
  WriterOptions options;
  options.row_group_rows = 400;
  options.page_bytes = 800;
  FileWriter writer({{"id", ColumnType::kInt64, false, false},
                     {"gone", ColumnType::kInt64, true, false},
                     {"name", ColumnType::kString, true, false}},
                    options, sink);
  for (int row = 0; row < 1200; ++row) {
    writer.AppendInt64(0, row);
    writer.AppendNull(1);
    writer.AppendBytes(2, "name-" + std::to_string(row));
    EXPECT_TRUE(writer.EndRow());
  }
  EXPECT_TRUE(writer.Close());
  return sink.data;
}

TEST(PageIndex, EveryChunkNamesItsPagesAndTheirBounds) {
  const std::string file = FileWithManyPages();
  const std::uint32_t length = Le32(std::string_view(file).substr(file.size() - 8, 4));
  const std::string footer_bytes = file.substr(file.size() - 8 - length, length);
  CompactReader footer_reader(footer_bytes);
  const TValue footer = footer_reader.ReadStruct();
  const auto& groups = footer.at(4).list;
  ASSERT_EQ(groups.size(), 3u);
  std::int64_t index_start = file.size();
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const auto& chunks = groups[g].at(1).list;
    ASSERT_EQ(chunks.size(), 3u);
    for (std::size_t c = 0; c < chunks.size(); ++c) {
      const TValue& chunk = chunks[c];
      const TValue& meta = chunk.at(3);
      ASSERT_TRUE(chunk.has(4) && chunk.has(5) && chunk.has(6) && chunk.has(7)) << g << "/" << c;
      index_start = std::min(index_start, chunk.at(6).i);
      const TValue offsets = Decode(file, chunk.at(4).i, chunk.at(5).i);
      const TValue bounds = Decode(file, chunk.at(6).i, chunk.at(7).i);
      const auto& locations = offsets.at(1).list;
      ASSERT_GE(locations.size(), 1u);
      // Pages follow each other from the first data page to the end of the chunk.
      std::int64_t next = meta.at(9).i;
      std::int64_t previous_first_row = -1;
      for (const TValue& location : locations) {
        EXPECT_EQ(location.at(1).i, next);
        EXPECT_GT(location.at(3).i, previous_first_row);
        previous_first_row = location.at(3).i;
        next += location.at(2).i;
      }
      EXPECT_EQ(locations[0].at(3).i, 0);
      EXPECT_EQ(next, meta.at(9).i + meta.at(7).i);  // no dictionary: the chunk is its pages
      ASSERT_EQ(bounds.at(1).list.size(), locations.size());
      ASSERT_EQ(bounds.at(2).list.size(), locations.size());
      ASSERT_EQ(bounds.at(5).list.size(), locations.size());
      EXPECT_EQ(bounds.at(4).i, 0);  // UNORDERED
      for (std::size_t p = 0; p < locations.size(); ++p) {
        const std::int64_t first = 400 * static_cast<std::int64_t>(g) + locations[p].at(3).i;
        const std::int64_t last =
            p + 1 < locations.size()
                ? 400 * static_cast<std::int64_t>(g) + locations[p + 1].at(3).i - 1
                : 400 * static_cast<std::int64_t>(g) + 399;
        const bool null_page = bounds.at(1).list[p].i == 1;
        if (c == 0) {  // id: the page's first and last values
          EXPECT_FALSE(null_page);
          EXPECT_EQ(bounds.at(2).list[p].bin, PlainInt64(first));
          EXPECT_EQ(bounds.at(3).list[p].bin, PlainInt64(last));
          EXPECT_EQ(bounds.at(5).list[p].i, 0);
        } else if (c == 1) {  // gone: NULL pages, empty bounds, every value counted as null
          EXPECT_TRUE(null_page);
          EXPECT_EQ(bounds.at(2).list[p].bin, "");
          EXPECT_EQ(bounds.at(5).list[p].i, last - first + 1);
        } else {
          EXPECT_FALSE(null_page);
          EXPECT_LE(bounds.at(2).list[p].bin, bounds.at(3).list[p].bin);
        }
      }
    }
  }
  // The indexes sit after the last row group's data, before the footer.
  const TValue& last_chunk = groups.back().at(1).list.back().at(3);
  EXPECT_GE(index_start, last_chunk.at(9).i + last_chunk.at(7).i);
}

}  // namespace
}  // namespace dataplane::parquet
