// parquet::FileReader on files built by hand, page by page and footer field by field: what the
// writer never produces but a corrupt or foreign file may hold (index pages, miscounted values,
// pages past their chunk, wrong decompressed sizes, dictionary indices out of range, schemas
// and encodings out of scope, huge row counts). Each is read or refused with an error naming
// it, never a crash or an unbounded allocation.
#include <gtest/gtest.h>

#include "parquet/testing/bytes.h"

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "parquet/codec.h"
#include "parquet/column_schema.h"
#include "parquet/file_reader.h"
#include "parquet/parquet_metadata.h"
#include "parquet/plain_encoder.h"
#include "parquet/random_access_source.h"
#include "parquet/rle_hybrid_encoder.h"
#include "parquet/testing/read_back.h"
#include "parquet/thrift_compact_writer.h"

namespace dataplane::parquet {
namespace {

using testing::Le32;

using testing::ReadBytes;
using testing::Row;

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
  EXPECT_FALSE(ReadBytes(file).ok());
}

}  // namespace
}  // namespace dataplane::parquet
