// What hyparquet (tests/parquet/readers/scan.mjs, its parquetScan) leaves to read of a file
// parquet::FileWriter wrote, for an equality filter: with the page index only the page that can
// hold the value, with the Bloom filters only the row group that holds it, and without either
// whatever the row-group statistics cannot rule out. Proves that another reader decodes our
// ColumnIndex, OffsetIndex and Bloom filters and uses them as the format intends.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include <boost/json.hpp>

#include "file_sink.h"
#include "parquet/file_writer.h"
#include "reader_process.h"

namespace dataplane::parquet::readers {
namespace {

namespace json = boost::json;

constexpr int kGroups = 3;
constexpr int kRowsPerGroup = 1000;

std::string Padded(const char* prefix, int value) {
  char text[32];
  std::snprintf(text, sizeof text, "%s%05d", prefix, value);
  return text;
}

//! The unsorted key of a row: a permutation of 0..2999.
int Scrambled(int row) { return (row * 7919) % (kGroups * kRowsPerGroup); }

class PruningReaders : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto missing = ReadersMissing()) GTEST_FAIL() << *missing;
    path_ = (std::filesystem::temp_directory_path() /
             ("dataplane-pruning-" + std::to_string(::getpid()) + ".parquet"))
                .string();
    FileSink sink(path_);
    WriterOptions options;
    options.row_group_rows = kRowsPerGroup;
    options.page_bytes = 400;  // 100 INT32 values a page
    FileWriter writer({{"n", ColumnType::kInt32, false, false, false},
                       {"key", ColumnType::kString, false, false, false},
                       {"scrambled", ColumnType::kString, false, false, true}},
                      options, sink);
    for (int row = 0; row < kGroups * kRowsPerGroup; ++row) {
      writer.AppendInt32(0, row);
      writer.AppendBytes(1, Padded("key-", row));
      writer.AppendBytes(2, Padded("u-", Scrambled(row)));
      ASSERT_TRUE(writer.EndRow());
    }
    ASSERT_TRUE(writer.Close());
  }
  void TearDown() override { std::filesystem::remove(path_); }

  //! The row ranges hyparquet would read, as [[start, end], …].
  std::string Ranges(const std::string& filter, const std::string& mode) {
    auto scan = RunHyparquetScan(path_, filter, mode);
    EXPECT_TRUE(scan) << scan.error().message;
    return scan ? json::serialize(scan->at("ranges")) : "";
  }

  std::string path_;
};

TEST_F(PruningReaders, ThePageIndexNarrowsAReadToThePageThatCanHoldTheValue) {
  EXPECT_EQ(Ranges(R"({"n":{"$eq":1550}})", "none"), "[[1000,2000]]");
  EXPECT_EQ(Ranges(R"({"n":{"$eq":1550}})", "index"), "[[1500,1600]]");
  EXPECT_EQ(Ranges(R"({"n":{"$eq":3}})", "index"), "[[0,100]]");
  EXPECT_EQ(Ranges(R"({"n":{"$eq":5000}})", "index"), "[]");
  // A string column's pages hold about 30 values each: one of them is left.
  auto scan = RunHyparquetScan(path_, R"({"key":{"$eq":"key-01550"}})", "index");
  ASSERT_TRUE(scan) << scan.error().message;
  const json::array& ranges = scan->at("ranges").as_array();
  ASSERT_EQ(ranges.size(), 1u) << json::serialize(ranges);
  const std::int64_t start = ranges[0].at(0).to_number<std::int64_t>();
  const std::int64_t end = ranges[0].at(1).to_number<std::int64_t>();
  EXPECT_LE(start, 1550);
  EXPECT_GT(end, 1550);
  EXPECT_LT(end - start, 100);
}

TEST_F(PruningReaders, BloomFiltersRuleOutTheRowGroupsThatLackAValue) {
  const std::string filter = R"({"scrambled":{"$eq":")" + Padded("u-", Scrambled(1500)) + R"("}})";
  // Each row group's keys span nearly all values: the statistics rule nothing out.
  EXPECT_EQ(Ranges(filter, "none"), "[[0,1000],[1000,2000],[2000,3000]]");
  EXPECT_EQ(Ranges(filter, "bloom"), "[[1000,2000]]");
}

}  // namespace
}  // namespace dataplane::parquet::readers
