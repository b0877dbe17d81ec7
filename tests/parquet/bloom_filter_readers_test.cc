// The Bloom filters parquet::FileWriter writes, probed by DuckDB (parquet_bloom_probe, the test
// DuckDB's row-group pruning for equality filters runs): a value is never excluded from a row
// group that holds it, and a value no row group holds is excluded from nearly all of them. For
// string, INT64 and INT32 columns; for UUID columns DuckDB neither writes nor probes Bloom
// filters (FINDINGS.md), which this test pins so that a DuckDB that starts to is noticed.
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

std::string UuidOf(int i) {
  std::string bytes(16, '\0');
  bytes[14] = static_cast<char>(i >> 8);
  bytes[15] = static_cast<char>(i & 0xff);
  return bytes;
}

class BloomFilterReaders : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto missing = ReadersMissing()) GTEST_FAIL() << *missing;
    path_ = (std::filesystem::temp_directory_path() /
             ("dataplane-bloom-" + std::to_string(::getpid()) + ".parquet"))
                .string();
    FileSink sink(path_);
    WriterOptions options;
    options.row_group_rows = kRowsPerGroup;
    FileWriter writer({{"key", ColumnType::kString, false, false, true},
                       {"n", ColumnType::kInt64, false, false, true},
                       {"i", ColumnType::kInt32, true, false, true},
                       {"u", ColumnType::kUuid, false, false, true},
                       {"plain", ColumnType::kString, false, false, false}},
                      options, sink);
    for (int row = 0; row < kGroups * kRowsPerGroup; ++row) {
      writer.AppendBytes(0, "key-" + std::to_string(row));
      writer.AppendInt64(1, std::int64_t{row} * 1'000'000'007);
      if (row % 2 == 0) {
        writer.AppendInt32(2, row);
      } else {
        writer.AppendNull(2);
      }
      writer.AppendBytes(3, UuidOf(row));
      writer.AppendBytes(4, "v");
      ASSERT_TRUE(writer.EndRow());
    }
    ASSERT_TRUE(writer.Close());
  }
  void TearDown() override { std::filesystem::remove(path_); }

  //! Per row group, whether DuckDB's probe of `column` for `literal` excludes it.
  std::vector<bool> Excluded(const std::string& column, const std::string& literal) {
    auto answer = RunDuckDbQuery("SELECT bloom_filter_excludes FROM parquet_bloom_probe('" + path_ +
                                 "', '" + column + "', " + literal + ") ORDER BY row_group_id");
    EXPECT_TRUE(answer) << answer.error().message;
    std::vector<bool> excluded;
    if (!answer) return excluded;
    for (const json::value& row : answer->at("rows").as_array()) {
      excluded.push_back(row.as_array().at(0) == "true");
    }
    return excluded;
  }

  std::string path_;
};

TEST_F(BloomFilterReaders, DuckDbFindsEveryChunkWithABloomFilter) {
  auto answer = RunDuckDbQuery(
      "SELECT path_in_schema, count(*) FILTER (WHERE bloom_filter_offset IS NOT NULL AND "
      "bloom_filter_length > 32) FROM parquet_metadata('" +
      path_ + "') GROUP BY ALL ORDER BY ALL");
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(json::serialize(answer->at("rows")),
            R"([["i","3"],["key","3"],["n","3"],["plain","0"],["u","3"]])");
}

TEST_F(BloomFilterReaders, DuckDbSkipsTheRowGroupsThatLackAValue) {
  const std::vector<bool> only_second = {true, false, true};
  EXPECT_EQ(Excluded("key", "'key-1500'"), only_second);
  EXPECT_EQ(Excluded("n", std::to_string(std::int64_t{1500} * 1'000'000'007)), only_second);
  EXPECT_EQ(Excluded("i", "1500"), only_second);
  EXPECT_EQ(Excluded("key", "'key-0'"), (std::vector<bool>{false, true, true}));
  EXPECT_EQ(Excluded("i", "2998"), (std::vector<bool>{true, true, false}));
}

TEST_F(BloomFilterReaders, DuckDbExcludesAnAbsentValueFromNearlyEveryRowGroup) {
  std::string sql = "SELECT count(*) FILTER (WHERE bloom_filter_excludes) FROM (";
  for (int probe = 0; probe < 40; ++probe) {
    sql += (probe == 0 ? "" : " UNION ALL ") + std::string("SELECT * FROM parquet_bloom_probe('") +
           path_ + "', 'key', 'absent-" + std::to_string(probe) + "')";
  }
  auto answer = RunDuckDbQuery(sql + ")");
  ASSERT_TRUE(answer) << answer.error().message;
  // 120 probes at a 1 % false-positive rate (less after rounding the size up).
  EXPECT_GE(std::stoi(std::string(answer->at("rows").at(0).at(0).as_string())), 114);
}

TEST_F(BloomFilterReaders, DuckDbDoesNotProbeUuidColumns) {
  EXPECT_EQ(Excluded("u", "'" + std::string("00000000-0000-0000-0000-0000000005dc") + "'::uuid"),
            (std::vector<bool>{false, false, false}));
}

}  // namespace
}  // namespace dataplane::parquet::readers
