#include "parquet/file_reader.h"

#include <gtest/gtest.h>

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
#include "parquet/thrift_compact_writer.h"

namespace dataplane::parquet {
namespace {

using Value = std::variant<std::int64_t, std::int32_t, double, bool, std::string>;
using Cell = std::optional<Value>;  // nullopt: NULL
using Row = std::vector<Cell>;

class StringSink : public Sink {
 public:
  core::Status Write(std::string_view bytes) override {
    data.append(bytes);
    return core::OkStatus();
  }
  std::string data;
};

void Append(FileWriter& w, int col, ColumnType type, const Cell& cell) {
  if (!cell) return w.AppendNull(col);
  switch (type) {
    case ColumnType::kInt64:
    case ColumnType::kTimestamp:
      return w.AppendInt64(col, std::get<std::int64_t>(*cell));
    case ColumnType::kInt32:
      return w.AppendInt32(col, std::get<std::int32_t>(*cell));
    case ColumnType::kDouble:
      return w.AppendDouble(col, std::get<double>(*cell));
    case ColumnType::kBoolean:
      return w.AppendBool(col, std::get<bool>(*cell));
    case ColumnType::kString:
    case ColumnType::kJson:
    case ColumnType::kUuid:
      return w.AppendBytes(col, std::get<std::string>(*cell));
  }
}

std::string WriteFile(const std::vector<ColumnSpec>& columns, const std::vector<Row>& rows,
                      WriterOptions options = {}) {
  StringSink sink;
  FileWriter w(columns, std::move(options), sink);
  for (const Row& row : rows) {
    for (std::size_t c = 0; c < columns.size(); ++c) {
      Append(w, static_cast<int>(c), columns[c].type, row[c]);
    }
    EXPECT_TRUE(w.EndRow().ok());
  }
  EXPECT_TRUE(w.Close().ok());
  return sink.data;
}

Cell CellAt(ColumnType type, const ColumnData& data, std::size_t row) {
  if (!data.defined.at(row)) return std::nullopt;
  switch (type) {
    case ColumnType::kInt64:
    case ColumnType::kTimestamp:
      return data.int64s.at(row);
    case ColumnType::kInt32:
      return data.int32s.at(row);
    case ColumnType::kDouble:
      return data.doubles.at(row);
    case ColumnType::kBoolean:
      return static_cast<bool>(data.bools.at(row));
    case ColumnType::kString:
    case ColumnType::kJson:
    case ColumnType::kUuid:
      return data.bytes.at(row);
  }
  return std::nullopt;
}

// Every row of the file, checking on the way that each ColumnData has one entry per row in its
// type's vector only.
core::Result<std::vector<Row>> ReadAll(FileReader& reader) {
  std::vector<Row> rows;
  for (int g = 0; g < reader.num_row_groups(); ++g) {
    core::Result<RowGroupData> group = reader.ReadRowGroup(g);
    if (!group) return group.error();
    EXPECT_EQ(group->columns.size(), reader.columns().size());
    const auto count = static_cast<std::size_t>(group->rows);
    for (const ColumnData& c : group->columns) {
      EXPECT_EQ(c.defined.size(), count);
      EXPECT_EQ(
          c.int64s.size() + c.int32s.size() + c.doubles.size() + c.bools.size() + c.bytes.size(),
          count);
    }
    for (std::size_t r = 0; r < count; ++r) {
      Row row;
      for (std::size_t c = 0; c < reader.columns().size(); ++c) {
        row.push_back(CellAt(reader.columns()[c].type, group->columns[c], r));
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

core::Result<std::vector<Row>> ReadBytes(const std::string& file) {
  StringSource source(file);
  core::Result<FileReader> reader = FileReader::Open(source);
  if (!reader) return reader.error();
  return ReadAll(*reader);
}

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

std::uint32_t Le32(std::string_view b) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<std::uint8_t>(b[i]);
  return v;
}

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

PageHeader DataPageHeaderOf(std::int32_t values, Encoding encoding = Encoding::kPlain) {
  PageHeader header;
  header.type = PageType::kDataPage;
  header.data_page_header = DataPageHeader{values, encoding, Encoding::kRle, Encoding::kRle};
  return header;
}

PageHeader DictionaryPageHeaderOf(std::int32_t values) {
  PageHeader header;
  header.type = PageType::kDictionaryPage;
  header.dictionary_page_header = DictionaryPageHeader{values, Encoding::kPlain};
  return header;
}

//! A page: its header (sizes set to `data`'s unless already set) and `data`, uncompressed.
std::string PageOf(PageHeader header, const std::string& data) {
  if (header.uncompressed_page_size == 0) {
    header.uncompressed_page_size = static_cast<std::int32_t>(data.size());
  }
  if (header.compressed_page_size == 0) {
    header.compressed_page_size = static_cast<std::int32_t>(data.size());
  }
  return SerializePageHeader(header) + data;
}

std::string PlainInt64s(std::initializer_list<std::int64_t> values) {
  std::string out;
  for (std::int64_t v : values) AppendPlainInt64(v, out);
  return out;
}

//! One row group of `rows` rows, one chunk per column (`chunks`, the pages' bytes), the
//! metadata then changed by `edit`.
std::string HandFile(
    const std::vector<ColumnSpec>& columns, const std::vector<std::string>& chunks,
    std::int64_t rows, const std::function<void(FileMetaData&)>& edit = [](FileMetaData&) {}) {
  std::string file = "PAR1";
  FileMetaData metadata;
  metadata.schema = FileSchema(columns);
  metadata.num_rows = rows;
  RowGroup group;
  group.num_rows = rows;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    ColumnMetaData m;
    m.type = PhysicalTypeOf(columns[c].type);
    m.encodings = {Encoding::kPlain};
    m.path_in_schema = {columns[c].name};
    m.num_values = rows;
    m.total_compressed_size = static_cast<std::int64_t>(chunks[c].size());
    m.total_uncompressed_size = m.total_compressed_size;
    m.data_page_offset = static_cast<std::int64_t>(file.size());
    ColumnChunk column;
    column.meta_data = m;
    group.columns.push_back(column);
    file += chunks[c];
  }
  metadata.row_groups.push_back(group);
  edit(metadata);
  const std::string footer = SerializeFileMetaData(metadata);
  file += footer;
  for (int i = 0; i < 4; ++i) file.push_back(static_cast<char>(footer.size() >> (8 * i)));
  return file + "PAR1";
}

core::Error ReadError(const std::string& file) {
  core::Result<std::vector<Row>> rows = ReadBytes(file);
  EXPECT_FALSE(rows.ok());
  return rows.ok() ? core::Error{} : rows.error();
}

const std::vector<ColumnSpec> kId = {{"id", ColumnType::kInt64, false}};
const std::vector<ColumnSpec> kSite = {{"site", ColumnType::kString, false}};

TEST(FileReaderHandBuilt, ReadsAValidHandBuiltFile) {
  const std::string file = HandFile(kId, {PageOf(DataPageHeaderOf(2), PlainInt64s({5, -5}))}, 2);
  core::Result<std::vector<Row>> rows = ReadBytes(file);
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  EXPECT_EQ(*rows, (std::vector<Row>{{std::int64_t{5}}, {std::int64_t{-5}}}));
}

TEST(FileReaderHandBuilt, SkipsIndexPages) {
  PageHeader index;
  index.type = static_cast<PageType>(1);
  const std::string chunk = PageOf(index, "abc") + PageOf(DataPageHeaderOf(1), PlainInt64s({9}));
  core::Result<std::vector<Row>> rows = ReadBytes(HandFile(kId, {chunk}, 1));
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  EXPECT_EQ(*rows, (std::vector<Row>{{std::int64_t{9}}}));
}

TEST(FileReaderHandBuilt, RefusesTooManyOrTooFewValues) {
  EXPECT_EQ(ReadError(HandFile(kId, {PageOf(DataPageHeaderOf(3), PlainInt64s({1, 2, 3}))}, 2)).kind,
            core::ErrorKind::kMalformed);
  EXPECT_EQ(ReadError(HandFile(kId, {PageOf(DataPageHeaderOf(1), PlainInt64s({1}))}, 2)).kind,
            core::ErrorKind::kMalformed);
  // Two pages together past the rows.
  const std::string two = PageOf(DataPageHeaderOf(2), PlainInt64s({1, 2})) +
                          PageOf(DataPageHeaderOf(1), PlainInt64s({3}));
  EXPECT_EQ(ReadError(HandFile(kId, {two}, 2)).kind, core::ErrorKind::kMalformed);
  // A page holding fewer values than its header says.
  EXPECT_EQ(ReadError(HandFile(kId, {PageOf(DataPageHeaderOf(2), PlainInt64s({1}))}, 2)).kind,
            core::ErrorKind::kMalformed);
}

TEST(FileReaderHandBuilt, RefusesPagesPastTheChunk) {
  PageHeader header = DataPageHeaderOf(1);
  header.compressed_page_size = 100;
  header.uncompressed_page_size = 100;
  const core::Error error = ReadError(HandFile(kId, {PageOf(header, PlainInt64s({1}))}, 1));
  EXPECT_EQ(error.kind, core::ErrorKind::kMalformed);
  EXPECT_NE(error.message.find("column 'id'"), std::string::npos) << error.message;
}

TEST(FileReaderHandBuilt, RefusesAnotherDecompressedSize) {
  PageHeader header = DataPageHeaderOf(1);
  header.uncompressed_page_size = 9;  // 8 bytes follow, uncompressed
  EXPECT_EQ(ReadError(HandFile(kId, {PageOf(header, PlainInt64s({1}))}, 1)).kind,
            core::ErrorKind::kMalformed);
}

std::string DictionaryChunk(std::uint32_t index, int bit_width) {
  std::string dictionary;
  AppendPlainByteArray("a", dictionary);
  AppendPlainByteArray("b", dictionary);
  RleHybridEncoder indices(bit_width);
  indices.Add(0);
  indices.Add(index);
  const std::string values = std::string(1, static_cast<char>(bit_width)) + indices.Finish();
  return PageOf(DictionaryPageHeaderOf(2), dictionary) +
         PageOf(DataPageHeaderOf(2, Encoding::kRleDictionary), values);
}

TEST(FileReaderHandBuilt, ReadsDictionaryPagesAndRefusesIndicesOutOfRange) {
  core::Result<std::vector<Row>> rows = ReadBytes(HandFile(kSite, {DictionaryChunk(1, 3)}, 2));
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  EXPECT_EQ(*rows, (std::vector<Row>{{std::string("a")}, {std::string("b")}}));
  EXPECT_EQ(ReadError(HandFile(kSite, {DictionaryChunk(2, 3)}, 2)).kind,
            core::ErrorKind::kMalformed);
  EXPECT_EQ(ReadError(HandFile(kSite, {DictionaryChunk(7, 3)}, 2)).kind,
            core::ErrorKind::kMalformed);
}

TEST(FileReaderHandBuilt, RefusesDictionaryPagesOutOfPlace) {
  std::string dictionary;
  AppendPlainByteArray("a", dictionary);
  std::string plain;
  AppendPlainByteArray("x", plain);
  const std::string late =
      PageOf(DataPageHeaderOf(1), plain) + PageOf(DictionaryPageHeaderOf(1), dictionary);
  EXPECT_EQ(ReadError(HandFile(kSite, {late}, 1)).kind, core::ErrorKind::kMalformed);
  const std::string no_dictionary =
      PageOf(DataPageHeaderOf(1, Encoding::kRleDictionary), std::string("\x01\x02\x00", 3));
  EXPECT_EQ(ReadError(HandFile(kSite, {no_dictionary}, 1)).kind, core::ErrorKind::kMalformed);
  // A dictionary claiming more values than its page holds.
  const std::string short_dictionary = PageOf(DictionaryPageHeaderOf(1000000), dictionary);
  EXPECT_EQ(ReadError(HandFile(kSite, {short_dictionary}, 0)).kind, core::ErrorKind::kMalformed);
}

TEST(FileReaderHandBuilt, RefusesDataPageV2AndUnknownEncodings) {
  PageHeader v2 = DataPageHeaderOf(1);
  v2.type = static_cast<PageType>(3);
  core::Error error = ReadError(HandFile(kId, {PageOf(v2, PlainInt64s({1}))}, 1));
  EXPECT_EQ(error.code, "unsupported_parquet");
  error = ReadError(
      HandFile(kId, {PageOf(DataPageHeaderOf(1, static_cast<Encoding>(5)), PlainInt64s({1}))}, 1));
  EXPECT_EQ(error.code, "unsupported_parquet");  // DELTA_BINARY_PACKED
}

TEST(FileReaderHandBuilt, RefusesBadDefinitionLevels) {
  const std::vector<ColumnSpec> nullable = {{"id", ColumnType::kInt64, true}};
  // A level length past the page, and levels running out.
  const std::string past = std::string("\xFF\x00\x00\x00", 4) + PlainInt64s({1});
  EXPECT_EQ(ReadError(HandFile(nullable, {PageOf(DataPageHeaderOf(1), past)}, 1)).kind,
            core::ErrorKind::kMalformed);
  const std::string short_levels = std::string("\x02\x00\x00\x00\x02\x01", 6) + PlainInt64s({1});
  EXPECT_EQ(ReadError(HandFile(nullable, {PageOf(DataPageHeaderOf(3), short_levels)}, 3)).kind,
            core::ErrorKind::kMalformed);
  EXPECT_EQ(ReadError(HandFile(nullable, {PageOf(DataPageHeaderOf(1), "ab")}, 1)).kind,
            core::ErrorKind::kMalformed);
}

TEST(FileReaderHandBuilt, RefusesSchemasOutOfScope) {
  const std::string chunk = PageOf(DataPageHeaderOf(1), PlainInt64s({1}));
  core::Error repeated = ReadError(HandFile(kId, {chunk}, 1, [](FileMetaData& m) {
    m.schema[1].repetition_type = static_cast<Repetition>(2);
  }));
  EXPECT_EQ(repeated.code, "unsupported_parquet");
  core::Error nested = ReadError(HandFile(kId, {chunk}, 1, [](FileMetaData& m) {
    SchemaElement group;
    group.name = "group";
    group.repetition_type = Repetition::kOptional;
    group.num_children = 1;
    m.schema.insert(m.schema.begin() + 1, group);
  }));
  EXPECT_EQ(nested.code, "unsupported_parquet");
  core::Error date = ReadError(HandFile(kId, {chunk}, 1, [](FileMetaData& m) {
    m.schema[1].type = PhysicalType::kInt32;
    m.schema[1].converted_type = static_cast<ConvertedType>(6);  // DATE
    m.row_groups[0].columns[0].meta_data.type = PhysicalType::kInt32;
  }));
  EXPECT_EQ(date.code, "unsupported_parquet");
  core::Error no_schema =
      ReadError(HandFile(kId, {chunk}, 1, [](FileMetaData& m) { m.schema.clear(); }));
  EXPECT_EQ(no_schema.kind, core::ErrorKind::kMalformed);
}

TEST(FileReaderHandBuilt, RefusesInconsistentChunkMetadata) {
  const std::string chunk = PageOf(DataPageHeaderOf(1), PlainInt64s({1}));
  const std::vector<std::function<void(FileMetaData&)>> edits = {
      [](FileMetaData& m) { m.row_groups[0].columns[0].meta_data.type = PhysicalType::kInt32; },
      [](FileMetaData& m) { m.row_groups[0].columns[0].meta_data.path_in_schema = {"other"}; },
      [](FileMetaData& m) { m.row_groups[0].columns[0].meta_data.num_values = 2; },
      [](FileMetaData& m) { m.row_groups[0].columns[0].meta_data.data_page_offset = 0; },
      [](FileMetaData& m) { m.row_groups[0].columns[0].meta_data.data_page_offset = 1 << 30; },
      [](FileMetaData& m) { m.row_groups[0].columns[0].meta_data.total_compressed_size = 1000; },
      [](FileMetaData& m) { m.row_groups[0].columns[0].meta_data.total_compressed_size = -1; },
      [](FileMetaData& m) { m.row_groups[0].columns.clear(); },
      [](FileMetaData& m) { m.num_rows = 5; },
      [](FileMetaData& m) { m.row_groups[0].num_rows = -1; },
  };
  for (std::size_t i = 0; i < edits.size(); ++i) {
    StringSource source(HandFile(kId, {chunk}, 1, edits[i]));
    core::Result<FileReader> reader = FileReader::Open(source);
    ASSERT_FALSE(reader.ok()) << "edit " << i;
    EXPECT_EQ(reader.error().kind, core::ErrorKind::kMalformed) << i << reader.error().message;
  }
  StringSource gzip(HandFile(kId, {chunk}, 1, [](FileMetaData& m) {
    m.row_groups[0].columns[0].meta_data.codec = static_cast<CompressionCodec>(2);
  }));
  core::Result<FileReader> reader = FileReader::Open(gzip);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.error().code, "unsupported_parquet");
}

TEST(FileReaderHandBuilt, RefusesHugeRowCountsWithoutAllocating) {
  // Claims of billions of rows backed by a few bytes: an RLE run of definition levels and of
  // dictionary indices would expand to them.
  const std::int64_t rows = std::int64_t{1} << 40;
  const std::string chunk = PageOf(DataPageHeaderOf(1), PlainInt64s({1}));
  StringSource source(HandFile(kId, {chunk}, rows));
  core::Result<FileReader> reader = FileReader::Open(source);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  core::Result<RowGroupData> group = reader->ReadRowGroup(0);
  ASSERT_FALSE(group.ok());
  EXPECT_EQ(group.error().kind, core::ErrorKind::kTooLarge);

  // Within the row limit, a dictionary string repeated past the memory budget.
  const std::int32_t many = 1000000;
  std::string dictionary;
  AppendPlainByteArray(std::string(10000, 'x'), dictionary);
  std::string values = "\x01";  // bit width 1, then one RLE run of `many` zeros
  ThriftCompactWriter::AppendVarint(static_cast<std::uint64_t>(many) << 1, values);
  values.push_back('\0');
  const std::string big = PageOf(DictionaryPageHeaderOf(1), dictionary) +
                          PageOf(DataPageHeaderOf(many, Encoding::kRleDictionary), values);
  core::Result<std::vector<Row>> back = ReadBytes(HandFile(kSite, {big}, many));
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.error().kind, core::ErrorKind::kTooLarge) << back.error().message;
}

TEST(FileReaderHandBuilt, RefusesBytesAfterTheFooterStruct) {
  std::string file = HandFile(kId, {PageOf(DataPageHeaderOf(1), PlainInt64s({1}))}, 1);
  // Grow the declared footer length by one and put a byte before the footer: the metadata then
  // starts one byte early, at the last byte of the chunk.
  const std::uint32_t length = Le32(std::string_view(file).substr(file.size() - 8, 4)) + 1;
  for (int i = 0; i < 4; ++i) file[file.size() - 8 + i] = static_cast<char>(length >> (8 * i));
  EXPECT_FALSE(ReadsCompletely(file));
}

}  // namespace
}  // namespace dataplane::parquet
