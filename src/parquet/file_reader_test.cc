#include "parquet/file_reader.h"

#include <gtest/gtest.h>

#include "parquet/testing/bytes.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "parquet/column_schema.h"
#include "parquet/plain_encoder.h"
#include "parquet/random_access_source.h"
#include "parquet/rle_hybrid_encoder.h"
#include "parquet/testing/compact_reader.h"
#include "parquet/testing/read_back.h"
#include "parquet/thrift_compact_writer.h"

namespace dataplane::parquet {
namespace {

using testing::Le32;

using testing::Cell;
using testing::ReadAll;
using testing::ReadBytes;
using testing::Row;
using testing::StringSink;
using testing::Value;
using testing::WriteFile;

// A deterministic mix of ordinary and extreme values for each type, and NULLs.
class Values {
 public:
  explicit Values(std::uint64_t seed) : state_(seed) {}

  std::uint64_t Next() {
    state_ = state_ * 6364136223846793005ull + 1442695040888963407ull;
    return state_ >> 11;
  }

  Value Of(ColumnType type) {
    const std::uint64_t pick = Next();
    switch (type) {
      case ColumnType::kInt64:
      case ColumnType::kTimestamp: {
        const std::int64_t extremes[] = {std::numeric_limits<std::int64_t>::min(),
                                         std::numeric_limits<std::int64_t>::max(), 0, -1, 1};
        if (pick % 3 == 0) return extremes[pick / 3 % 5];
        return static_cast<std::int64_t>(Next() * 0x9E3779B97F4A7C15ull);
      }
      case ColumnType::kInt32: {
        const std::int32_t extremes[] = {std::numeric_limits<std::int32_t>::min(),
                                         std::numeric_limits<std::int32_t>::max(), 0, -1};
        if (pick % 3 == 0) return extremes[pick / 3 % 4];
        return static_cast<std::int32_t>(Next());
      }
      case ColumnType::kDouble: {
        const double extremes[] = {-0.0,
                                   std::numeric_limits<double>::infinity(),
                                   -std::numeric_limits<double>::infinity(),
                                   std::numeric_limits<double>::denorm_min(),
                                   std::numeric_limits<double>::max(),
                                   std::numeric_limits<double>::lowest()};
        if (pick % 3 == 0) return extremes[pick / 3 % 6];
        return static_cast<double>(static_cast<std::int64_t>(Next())) / 1e6;
      }
      case ColumnType::kBoolean:
        return pick % 2 == 0;
      case ColumnType::kString: {
        const std::string fixed[] = {"", "fab1", "Grüße, 世界 ✓ — ñ", std::string("a\0b", 3)};
        if (pick % 2 == 0) return fixed[pick / 2 % 4];
        return "value-" + std::to_string(Next() % 100000) + std::string(Next() % 40, 'x');
      }
      case ColumnType::kJson:
        return "{\"n\":" + std::to_string(Next() % 1000) + ",\"s\":\"é\"}";
      case ColumnType::kUuid: {
        std::string uuid(16, '\0');
        if (pick % 4 != 0) {
          for (char& b : uuid) b = static_cast<char>(Next());
        }
        return uuid;
      }
    }
    return std::int64_t{0};
  }

  std::vector<Row> Rows(const std::vector<ColumnSpec>& columns, std::size_t count) {
    std::vector<Row> rows;
    for (std::size_t r = 0; r < count; ++r) {
      Row row;
      for (const ColumnSpec& column : columns) {
        if (column.nullable && Next() % 4 == 0) {
          row.push_back(std::nullopt);
        } else {
          row.push_back(Of(column.type));
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

 private:
  std::uint64_t state_;
};

const ColumnType kAllTypes[] = {ColumnType::kInt64,     ColumnType::kInt32,  ColumnType::kDouble,
                                ColumnType::kBoolean,   ColumnType::kString, ColumnType::kJson,
                                ColumnType::kTimestamp, ColumnType::kUuid};

// Every type, nullable and required, and a dictionary string column of each kind.
std::vector<ColumnSpec> EveryColumn() {
  std::vector<ColumnSpec> columns;
  for (ColumnType type : kAllTypes) {
    const std::string name = "t" + std::to_string(static_cast<int>(type));
    columns.push_back({name + "_null", type, true, false});
    columns.push_back({name + "_req", type, false, false});
  }
  columns.push_back({"dict_null", ColumnType::kString, true, true});
  columns.push_back({"dict_req", ColumnType::kString, false, true});
  return columns;
}

// Dictionary columns get few distinct values, so that their dictionaries stay small.
void NarrowDictionaryValues(const std::vector<ColumnSpec>& columns, std::vector<Row>& rows) {
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (columns[c].dictionary && rows[r][c]) rows[r][c] = "site-" + std::to_string(r % 7);
    }
  }
}

void ExpectRoundTrip(const std::vector<ColumnSpec>& columns, const std::vector<Row>& rows,
                     const WriterOptions& options) {
  const std::string file = WriteFile(columns, rows, options);
  StringSource source(file);
  core::Result<FileReader> reader = FileReader::Open(source);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  ASSERT_EQ(reader->columns().size(), columns.size());
  for (std::size_t c = 0; c < columns.size(); ++c) {
    EXPECT_EQ(reader->columns()[c].name, columns[c].name);
    EXPECT_EQ(reader->columns()[c].type, columns[c].type) << columns[c].name;
    EXPECT_EQ(reader->columns()[c].nullable, columns[c].nullable) << columns[c].name;
    EXPECT_FALSE(reader->columns()[c].dictionary);
  }
  EXPECT_EQ(reader->num_rows(), static_cast<std::int64_t>(rows.size()));
  const std::size_t groups = (rows.size() + options.row_group_rows - 1) / options.row_group_rows;
  EXPECT_EQ(reader->num_row_groups(), static_cast<int>(groups));
  core::Result<std::vector<Row>> back = ReadAll(*reader);
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_EQ(back->size(), rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t c = 0; c < columns.size(); ++c) {
      ASSERT_EQ((*back)[r][c], rows[r][c]) << "row " << r << " column " << columns[c].name;
      if (rows[r][c] && std::holds_alternative<double>(*rows[r][c])) {
        EXPECT_EQ(std::signbit(std::get<double>(*(*back)[r][c])),
                  std::signbit(std::get<double>(*rows[r][c])));
      }
    }
  }
}

class FileReaderCodecs : public ::testing::TestWithParam<Codec> {};

TEST_P(FileReaderCodecs, RoundTripsEveryTypeInManyRowGroupsAndPages) {
  const std::vector<ColumnSpec> columns = EveryColumn();
  std::vector<Row> rows = Values(7).Rows(columns, 1000);
  NarrowDictionaryValues(columns, rows);
  WriterOptions options;
  options.codec = GetParam();
  options.row_group_rows = 300;
  options.page_bytes = 200;
  ExpectRoundTrip(columns, rows, options);
}

TEST_P(FileReaderCodecs, RoundTripsOneRowGroupOfDefaultPages) {
  const std::vector<ColumnSpec> columns = EveryColumn();
  std::vector<Row> rows = Values(11).Rows(columns, 2500);
  NarrowDictionaryValues(columns, rows);
  WriterOptions options;
  options.codec = GetParam();
  ExpectRoundTrip(columns, rows, options);
}

TEST_P(FileReaderCodecs, RoundTripsDictionaryFallbackToPlain) {
  const std::vector<ColumnSpec> columns = {{"site", ColumnType::kString, true, true},
                                           {"kind", ColumnType::kString, false, true}};
  std::vector<Row> rows = Values(3).Rows(columns, 600);  // many distinct values
  for (std::size_t r = 0; r < 100; ++r) {
    if (rows[r][0]) rows[r][0] = std::string("s") + std::to_string(r % 3);  // dictionary first
    rows[r][1] = std::string("k") + std::to_string(r % 5);
  }
  WriterOptions options;
  options.codec = GetParam();
  options.max_dictionary_bytes = 64;
  options.page_bytes = 128;
  options.row_group_rows = 250;
  ExpectRoundTrip(columns, rows, options);
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, FileReaderCodecs,
                         ::testing::Values(Codec::kUncompressed, Codec::kSnappy, Codec::kZstd));

testing::TValue Footer(const std::string& file) {
  const std::uint32_t length = Le32(std::string_view(file).substr(file.size() - 8, 4));
  testing::CompactReader reader(std::string_view(file).substr(file.size() - 8 - length, length));
  return reader.ReadStruct();
}

TEST(FileReader, DictionaryFallbackReallyMixesEncodings) {
  const std::vector<ColumnSpec> columns = {{"site", ColumnType::kString, true, true}};
  std::vector<Row> rows;
  for (int r = 0; r < 200; ++r) rows.push_back({r < 50 ? "a" : "distinct-" + std::to_string(r)});
  WriterOptions options;
  options.max_dictionary_bytes = 32;
  const std::string file = WriteFile(columns, rows, options);
  const testing::TValue footer = Footer(file);
  const testing::TValue& encodings = footer.at(4).list.at(0).at(1).list.at(0).at(3).at(2);
  std::vector<std::int64_t> wire;
  for (const testing::TValue& e : encodings.list) wire.push_back(e.i);
  EXPECT_EQ(wire, (std::vector<std::int64_t>{0, 3, 8}));  // PLAIN, RLE, RLE_DICTIONARY
  core::Result<std::vector<Row>> back = ReadBytes(file);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, rows);
}

TEST(FileReader, ReadsAllNullAndEmptyValues) {
  const std::vector<ColumnSpec> columns = {{"s", ColumnType::kString, true, true},
                                           {"n", ColumnType::kInt64, true, false},
                                           {"e", ColumnType::kString, false, false},
                                           {"b", ColumnType::kBoolean, true, false}};
  std::vector<Row> rows;
  for (int r = 0; r < 50; ++r) rows.push_back({std::nullopt, std::nullopt, "", std::nullopt});
  WriterOptions options;
  options.page_bytes = 1;  // a page per row
  ExpectRoundTrip(columns, rows, options);
}

TEST(FileReader, ReadsKeyValueMetadataAndCreatedBy) {
  WriterOptions options;
  options.key_value_metadata = {{"table", "job"}, {"site", "fab1"}, {"empty", ""}};
  options.created_by = "dataplane test";
  const std::string file =
      WriteFile({{"id", ColumnType::kInt64, false}}, {{std::int64_t{1}}}, options);
  StringSource source(file);
  core::Result<FileReader> reader = FileReader::Open(source);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  EXPECT_EQ(reader->key_value_metadata(), options.key_value_metadata);
  EXPECT_EQ(reader->created_by(), "dataplane test");
}

TEST(FileReader, ReadsAFileWithoutRows) {
  const std::vector<ColumnSpec> columns = EveryColumn();
  const std::string file = WriteFile(columns, {});
  StringSource source(file);
  core::Result<FileReader> reader = FileReader::Open(source);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  EXPECT_EQ(reader->num_rows(), 0);
  EXPECT_EQ(reader->num_row_groups(), 0);
  EXPECT_EQ(reader->columns().size(), columns.size());
  EXPECT_TRUE(reader->key_value_metadata().empty());
  core::Result<RowGroupData> none = reader->ReadRowGroup(0);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, "no_row_group");
  EXPECT_FALSE(reader->ReadRowGroup(-1).ok());
}

TEST(FileReader, ReadsFromAFileSource) {
  const std::vector<ColumnSpec> columns = {{"id", ColumnType::kInt64, false},
                                           {"uuid", ColumnType::kUuid, true}};
  const std::vector<Row> rows = Values(5).Rows(columns, 100);
  const std::string path = ::testing::TempDir() + "/file_reader_test.parquet";
  {
    FILE* out = std::fopen(path.c_str(), "wb");
    ASSERT_NE(out, nullptr);
    const std::string file = WriteFile(columns, rows);
    ASSERT_EQ(std::fwrite(file.data(), 1, file.size(), out), file.size());
    std::fclose(out);
  }
  core::Result<std::unique_ptr<FileSource>> source = FileSource::Open(path);
  ASSERT_TRUE(source.ok()) << source.error().message;
  core::Result<FileReader> reader = FileReader::Open(**source);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  core::Result<std::vector<Row>> back = ReadAll(*reader);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, rows);
  std::remove(path.c_str());
}

// ---- Malformed files ---------------------------------------------------------------------

std::string SmallFile(Codec codec) {
  const std::vector<ColumnSpec> columns = {
      {"id", ColumnType::kInt64, false}, {"site", ColumnType::kString, true, true},
      {"n", ColumnType::kInt32, true},   {"ok", ColumnType::kBoolean, true},
      {"x", ColumnType::kDouble, false}, {"u", ColumnType::kUuid, true}};
  std::vector<Row> rows = Values(9).Rows(columns, 12);
  NarrowDictionaryValues(columns, rows);
  WriterOptions options;
  options.codec = codec;
  options.row_group_rows = 5;
  options.page_bytes = 40;
  options.key_value_metadata = {{"table", "job"}};
  return WriteFile(columns, rows, options);
}

//! Opens and reads everything; a file must give an error or data, never crash.
bool ReadsCompletely(const std::string& file) { return ReadBytes(file).ok(); }

TEST(FileReaderMalformed, EveryTruncationIsAnError) {
  for (Codec codec : {Codec::kUncompressed, Codec::kZstd}) {
    const std::string file = SmallFile(codec);
    ASSERT_TRUE(ReadsCompletely(file));
    for (std::size_t length = 0; length < file.size(); ++length) {
      StringSource source(file.substr(0, length));
      core::Result<FileReader> reader = FileReader::Open(source);
      ASSERT_FALSE(reader.ok()) << "prefix of " << length << " bytes opened";
      EXPECT_EQ(reader.error().kind, core::ErrorKind::kMalformed) << length;
    }
  }
}

TEST(FileReaderMalformed, FlippedBytesGiveAnErrorOrData) {
  for (Codec codec : {Codec::kUncompressed, Codec::kSnappy, Codec::kZstd}) {
    const std::string file = SmallFile(codec);
    int errors = 0;
    for (std::size_t pos = 0; pos < file.size(); ++pos) {
      for (int mask : {0x01, 0xFF}) {
        std::string flipped = file;
        flipped[pos] = static_cast<char>(flipped[pos] ^ mask);
        if (!ReadsCompletely(flipped)) ++errors;
      }
    }
    EXPECT_GT(errors, 0);
  }
}

TEST(FileReaderMalformed, SplicedBytesGiveAnErrorOrData) {
  // A valid file with a stretch of its middle removed or doubled: offsets then point elsewhere.
  const std::string file = SmallFile(Codec::kUncompressed);
  for (std::size_t pos = 4; pos + 8 < file.size(); pos += 3) {
    ReadsCompletely(file.substr(0, pos) + file.substr(pos + 5));
    ReadsCompletely(file.substr(0, pos) + file.substr(pos - 4));
  }
}

TEST(FileReaderMalformed, BadMagicOrLength) {
  const std::string file = SmallFile(Codec::kUncompressed);
  std::string bad_start = file;
  bad_start[0] = 'Q';
  std::string bad_end = file;
  bad_end[file.size() - 1] = '2';
  std::string long_length = file;
  long_length[file.size() - 5] = '\x7F';  // the length's high byte
  std::string zero_length = file;
  for (int i = 5; i <= 8; ++i) zero_length[file.size() - i] = '\0';
  for (const std::string& bad : {bad_start, bad_end, long_length, zero_length,
                                 std::string("PAR1PAR1"), std::string("PAR1\0\0\0\0PAR1", 12)}) {
    StringSource source(bad);
    core::Result<FileReader> reader = FileReader::Open(source);
    ASSERT_FALSE(reader.ok());
    EXPECT_EQ(reader.error().kind, core::ErrorKind::kMalformed) << reader.error().message;
  }
}

// ---- Hand-built files, for what the writer never writes -----------------------------------

}  // namespace
}  // namespace dataplane::parquet
