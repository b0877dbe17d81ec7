// Every file parquet::FileWriter writes is read back exactly by two independent readers, DuckDB
// and hyparquet (tests/parquet/readers, installed by scripts/test-tools): every value of every
// row, the logical types, the key/value metadata and the column chunk statistics, for each
// codec, over edge values, many row groups and pages, dictionary columns and their fallback to
// PLAIN, and a file with no rows. What the readers disagree on is written up in FINDINGS.md.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include <boost/json/serialize.hpp>

#include "exact_json.h"
#include "expectations.h"
#include "reader_process.h"
#include "table.h"
#include "test_tables.h"

namespace dataplane::parquet {
// gtest prints the codec of a failing case by this name, not its bytes.
void PrintTo(Codec codec, std::ostream* out);
}  // namespace dataplane::parquet

namespace dataplane::parquet::readers {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr Reader kReaders[] = {Reader::kDuckDb, Reader::kHyparquet};

const char* CodecName(Codec codec) {
  switch (codec) {
    case Codec::kZstd:
      return "ZSTD";
    case Codec::kSnappy:
      return "SNAPPY";
    case Codec::kUncompressed:
      return "UNCOMPRESSED";
  }
  return "?";
}

void ExpectNone(const std::vector<std::string>& mismatches, Reader reader, const char* what) {
  std::string text;
  for (const auto& line : mismatches)
    text += "\n  [" + std::string(ReaderName(reader)) + "] " + line;
  EXPECT_TRUE(mismatches.empty()) << what << " disagree with what was written:" << text;
}

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string Join(const std::vector<std::string>& list) {
  std::string text;
  for (const auto& item : list) text += (text.empty() ? "" : ",") + item;
  return text;
}

std::string Describe(const std::vector<Page>& pages) {
  std::string text;
  for (const auto& p : pages) text += (text.empty() ? "" : " ") + p.type + ":" + p.encoding;
  return text;
}

// A chunk that fell back: a dictionary page, RLE_DICTIONARY data pages, then only PLAIN ones.
void ExpectFallbackPages(const std::vector<Page>& pages) {
  const std::string text = Describe(pages);
  ASSERT_GE(pages.size(), 3u) << text;
  EXPECT_EQ(pages[0].type, "DICTIONARY_PAGE") << text;
  EXPECT_EQ(pages[1].type + ":" + pages[1].encoding, "DATA_PAGE:RLE_DICTIONARY") << text;
  const auto first_plain = std::find_if(pages.begin() + 1, pages.end(),
                                        [](const Page& p) { return p.encoding == "PLAIN"; });
  EXPECT_NE(first_plain, pages.end()) << text;
  for (auto p = first_plain; p != pages.end(); ++p) {
    EXPECT_EQ(p->type + ":" + p->encoding, "DATA_PAGE:PLAIN") << text;
  }
}

class ParquetReadersTest : public ::testing::TestWithParam<Codec> {
 protected:
  void SetUp() override {
    const auto missing = ReadersMissing();
    ASSERT_FALSE(missing.has_value()) << *missing;
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string(info->test_suite_name()) + "." + info->name();
    std::replace(name.begin(), name.end(), '/', '_');
    dir_ = fs::temp_directory_path() /
           ("parquet_readers_test-" + std::to_string(getpid()) + "-" + name);
    fs::create_directories(dir_);
    options_.codec = GetParam();
    options_.key_value_metadata = {{"table", "job"},
                                   {"site", "fab-Ωmega-ü-日本"},
                                   {"range", "2024-01-01T00:00:00Z/2024-01-02T00:00:00Z"},
                                   {"schema_version", "1"},
                                   {"empty", ""}};
    options_.created_by = "dataplane parquet_readers_test";
  }
  void TearDown() override {
    if (HasFailure()) {
      std::cerr << "files kept for inspection in " << dir_ << "\n";
    } else {
      fs::remove_all(dir_);
    }
  }

  //! Writes `table`; then each reader must agree on rows, schema, kv metadata and statistics.
  //! The readers' documents, in kReaders order (null when a reader failed).
  std::vector<json::value> WriteAndRead(const Table& table, const std::string& file) {
    const std::string path = (dir_ / file).string();
    const auto status = WriteTable(table, options_, path);
    EXPECT_TRUE(status.ok()) << "write " << path << ": " << status.error().message;
    if (!status.ok()) return {nullptr, nullptr};
    std::vector<json::value> docs;
    for (Reader reader : kReaders) {
      auto doc = RunReader(reader, path);
      EXPECT_TRUE(doc.ok()) << doc.error().message;
      docs.push_back(doc.ok() ? std::move(*doc) : json::value());
      if (!doc.ok()) continue;
      ExpectNone(CompareRows(table, docs.back()), reader, "rows");
      ExpectNone(CompareSchema(table, docs.back(), reader == Reader::kDuckDb), reader, "schema");
      ExpectNone(CompareKeyValueMetadata(options_, docs.back()), reader, "key/value metadata");
      ExpectNone(
          CompareStatistics(table, options_.row_group_rows, docs.back(), reader == Reader::kDuckDb),
          reader, "statistics");
      ExpectCodec(reader, docs.back());
    }
    return docs;
  }

  void ExpectCodec(Reader reader, const json::value& doc) {
    for (const json::value& chunk : doc.at("chunks").as_array()) {
      EXPECT_EQ(chunk.at("compression"), json::value(CodecName(options_.codec)))
          << ReaderName(reader) << " chunk " << json::serialize(chunk.at("column"));
    }
  }

  fs::path dir_;
  WriterOptions options_;
};

TEST_P(ParquetReadersTest, EdgeValuesOfEveryTypeReadBackExactly) {
  const Table table = EdgeTable();
  const auto docs = WriteAndRead(table, "edge.parquet");
  ASSERT_EQ(docs.size(), 2u);
  if (docs[1].is_object()) {
    EXPECT_EQ(docs[1].at("created_by"), json::value(options_.created_by));
  }
}

TEST_P(ParquetReadersTest, ManyRowGroupsAndPagesReadBackExactly) {
  options_.row_group_rows = 1000;
  options_.page_bytes = 2048;
  const Table table = ManyRowGroupsTable(10500);
  const auto docs = WriteAndRead(table, "many.parquet");
  for (std::size_t i = 0; i < docs.size(); ++i) {
    if (!docs[i].is_object()) continue;
    for (std::size_t g = 0; g < 11; ++g) {
      const auto site = ChunkEncodings(docs[i], "site", g);
      EXPECT_TRUE(Contains(site, "RLE_DICTIONARY"))
          << ReaderName(kReaders[i]) << " row group " << g << " site encodings " << Join(site);
      const auto status = ChunkEncodings(docs[i], "status", g);
      EXPECT_TRUE(Contains(status, "RLE_DICTIONARY"))
          << ReaderName(kReaders[i]) << " row group " << g << " status encodings " << Join(status);
    }
  }
  // hyparquet's page walk: page_bytes cuts every chunk of text into many data pages.
  if (docs.size() == 2 && docs[1].is_object()) {
    for (std::size_t g = 0; g < 11; ++g) {
      const auto pages = ChunkPages(docs[1], "message", g);
      EXPECT_GE(std::count_if(pages.begin(), pages.end(),
                              [](const Page& p) { return p.type == "DATA_PAGE"; }),
                3)
          << "row group " << g << ": " << Describe(pages);
    }
  }
}

TEST_P(ParquetReadersTest, DictionaryOverflowFallsBackToPlainAndReadsBackExactly) {
  options_.row_group_rows = 2500;
  options_.page_bytes = 4096;
  options_.max_dictionary_bytes = 2048;
  const Table table = OverflowTable(5000);
  const auto docs = WriteAndRead(table, "overflow.parquet");
  for (std::size_t i = 0; i < docs.size(); ++i) {
    if (!docs[i].is_object()) continue;
    for (std::size_t g = 0; g < 2; ++g) {
      const auto kind = ChunkEncodings(docs[i], "kind", g);
      EXPECT_TRUE(Contains(kind, "RLE_DICTIONARY") && Contains(kind, "PLAIN"))
          << ReaderName(kReaders[i]) << " row group " << g
          << ": a chunk whose dictionary overflowed holds dictionary and PLAIN pages, got "
          << Join(kind);
      if (kReaders[i] == Reader::kHyparquet) ExpectFallbackPages(ChunkPages(docs[i], "kind", g));
      const auto app = ChunkEncodings(docs[i], "app", g);
      EXPECT_TRUE(Contains(app, "RLE_DICTIONARY"))
          << ReaderName(kReaders[i]) << " row group " << g << " app encodings " << Join(app);
    }
  }
}

TEST_P(ParquetReadersTest, FileWithZeroRowsReadsBackEmpty) {
  Table table = EdgeTable();
  table.rows.clear();
  const auto docs = WriteAndRead(table, "empty.parquet");
  for (std::size_t i = 0; i < docs.size(); ++i) {
    if (!docs[i].is_object()) continue;
    EXPECT_EQ(docs[i].at("num_rows"), json::value(0)) << ReaderName(kReaders[i]);
  }
}

INSTANTIATE_TEST_SUITE_P(Codecs, ParquetReadersTest,
                         ::testing::Values(Codec::kZstd, Codec::kSnappy, Codec::kUncompressed),
                         [](const auto& info) { return std::string(CodecName(info.param)); });

TEST(ParquetReaders, AreInstalled) {
  const auto missing = ReadersMissing();
  EXPECT_FALSE(missing.has_value()) << *missing;
}

// Boost.JSON 1.81 parses this one ulp off; the readers' doubles must come back bit for bit.
TEST(ExactJson, ParsesDoublesCorrectlyRounded) {
  auto doc = ParseExactJson("[1.3927926388013963e-143,-0.0,0.1,5e-324,1e+21,9007199254740993]\n");
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  const auto& a = doc->as_array();
  const double want[] = {1.3927926388013963e-143, -0.0, 0.1, 5e-324, 1e21};
  for (std::size_t i = 0; i < 5; ++i) {
    ASSERT_TRUE(a[i].is_double()) << i;
    const double got = a[i].get_double();
    EXPECT_EQ(std::memcmp(&got, &want[i], sizeof got), 0) << i << ": " << got;
  }
  EXPECT_EQ(a[5], json::value(std::int64_t{9007199254740993}));
  EXPECT_FALSE(ParseExactJson("[1.5,").ok());
}

}  // namespace
}  // namespace dataplane::parquet::readers

void dataplane::parquet::PrintTo(Codec codec, std::ostream* out) {
  *out << readers::CodecName(codec);
}
