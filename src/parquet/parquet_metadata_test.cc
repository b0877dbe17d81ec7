#include "parquet/parquet_metadata.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "parquet/testing/bytes.h"
#include "parquet/testing/compact_reader.h"

namespace dataplane::parquet {
namespace {

using testing::CompactReader;
using testing::TValue;

using testing::Bytes;

TEST(ParquetMetadata, DictionaryPageHeaderBytes) {
  PageHeader h;
  h.type = PageType::kDictionaryPage;
  h.uncompressed_page_size = 10;
  h.compressed_page_size = 8;
  h.dictionary_page_header = DictionaryPageHeader{3, Encoding::kPlain};
  // type 2, sizes 10 and 8, then field 7 (delta 4) struct {num_values 3, encoding 0}
  EXPECT_EQ(SerializePageHeader(h),
            Bytes({0x15, 0x04, 0x15, 0x14, 0x15, 0x10, 0x4C, 0x15, 0x06, 0x15, 0x00, 0x00, 0x00}));
}

TEST(ParquetMetadata, DataPageHeaderFields) {
  PageHeader h;
  h.uncompressed_page_size = 100;
  h.compressed_page_size = 50;
  h.data_page_header = DataPageHeader{7, Encoding::kRleDictionary, Encoding::kRle, Encoding::kRle};
  const std::string bytes = SerializePageHeader(h);
  CompactReader reader(bytes);
  TValue v = reader.ReadStruct();
  EXPECT_EQ(v.at(1).i, 0);
  EXPECT_EQ(v.at(2).i, 100);
  EXPECT_EQ(v.at(3).i, 50);
  EXPECT_FALSE(v.has(4));  // no crc
  const TValue& d = v.at(5);
  EXPECT_EQ(d.at(1).i, 7);
  EXPECT_EQ(d.at(2).i, 8);
  EXPECT_EQ(d.at(3).i, 3);
  EXPECT_EQ(d.at(4).i, 3);
}

FileMetaData SampleFile() {
  FileMetaData m;
  SchemaElement root;
  root.name = "schema";
  root.num_children = 2;
  SchemaElement ts;
  ts.type = PhysicalType::kInt64;
  ts.repetition_type = Repetition::kRequired;
  ts.name = "ts";
  ts.converted_type = ConvertedType::kTimestampMicros;
  ts.logical_type = LogicalKind::kTimestampMicrosUtc;
  SchemaElement id;
  id.type = PhysicalType::kFixedLenByteArray;
  id.type_length = 16;
  id.repetition_type = Repetition::kOptional;
  id.name = "id";
  id.logical_type = LogicalKind::kUuid;
  m.schema = {root, ts, id};
  m.num_rows = 3;
  RowGroup g;
  g.num_rows = 3;
  g.file_offset = 4;
  g.total_byte_size = 90;
  g.total_compressed_size = 80;
  ColumnChunk c;
  c.meta_data.type = PhysicalType::kInt64;
  c.meta_data.encodings = {Encoding::kPlain};
  c.meta_data.path_in_schema = {"ts"};
  c.meta_data.codec = CompressionCodec::kZstd;
  c.meta_data.num_values = 3;
  c.meta_data.total_uncompressed_size = 50;
  c.meta_data.total_compressed_size = 40;
  c.meta_data.data_page_offset = 4;
  c.meta_data.statistics.null_count = 0;
  c.meta_data.statistics.min_value = "min";
  c.meta_data.statistics.max_value = "max";
  g.columns = {c, c};
  m.row_groups = {g};
  m.key_value_metadata = {{"table", "job"}, {"site", "fab1"}};
  m.created_by = "dataplane test";
  return m;
}

TEST(ParquetMetadata, FileMetaDataDecodesToWhatWasGiven) {
  const std::string bytes = SerializeFileMetaData(SampleFile());
  CompactReader reader(bytes);
  TValue v = reader.ReadStruct();
  EXPECT_EQ(reader.position(), bytes.size());
  EXPECT_EQ(v.at(1).i, 2);
  ASSERT_EQ(v.at(2).list.size(), 3u);
  const TValue& root = v.at(2).list[0];
  EXPECT_EQ(root.at(4).bin, "schema");
  EXPECT_EQ(root.at(5).i, 2);
  EXPECT_FALSE(root.has(1));
  EXPECT_FALSE(root.has(3));
  const TValue& ts = v.at(2).list[1];
  EXPECT_EQ(ts.at(1).i, 2);
  EXPECT_EQ(ts.at(3).i, 0);
  EXPECT_EQ(ts.at(6).i, 10);
  const TValue& timestamp = ts.at(10).at(8);
  EXPECT_EQ(timestamp.at(1).type, 1);   // isAdjustedToUTC = true
  EXPECT_TRUE(timestamp.at(2).has(2));  // MICROS
  const TValue& id = v.at(2).list[2];
  EXPECT_EQ(id.at(2).i, 16);
  EXPECT_EQ(id.at(3).i, 1);
  EXPECT_TRUE(id.at(10).has(14));
  EXPECT_FALSE(id.has(6));
  EXPECT_EQ(v.at(3).i, 3);
  const TValue& group = v.at(4).list.at(0);
  EXPECT_EQ(group.at(2).i, 90);
  EXPECT_EQ(group.at(3).i, 3);
  EXPECT_EQ(group.at(5).i, 4);
  EXPECT_EQ(group.at(6).i, 80);
  const TValue& chunk = group.at(1).list.at(1);
  EXPECT_EQ(chunk.at(2).i, 0);
  const TValue& meta = chunk.at(3);
  EXPECT_EQ(meta.at(1).i, 2);
  EXPECT_EQ(meta.at(2).list.at(0).i, 0);
  EXPECT_EQ(meta.at(3).list.at(0).bin, "ts");
  EXPECT_EQ(meta.at(4).i, 6);
  EXPECT_EQ(meta.at(5).i, 3);
  EXPECT_EQ(meta.at(6).i, 50);
  EXPECT_EQ(meta.at(7).i, 40);
  EXPECT_EQ(meta.at(9).i, 4);
  EXPECT_FALSE(meta.has(11));
  EXPECT_EQ(meta.at(12).at(3).i, 0);
  EXPECT_EQ(meta.at(12).at(5).bin, "max");
  EXPECT_EQ(meta.at(12).at(6).bin, "min");
  ASSERT_EQ(v.at(5).list.size(), 2u);
  EXPECT_EQ(v.at(5).list[1].at(1).bin, "site");
  EXPECT_EQ(v.at(5).list[1].at(2).bin, "fab1");
  EXPECT_EQ(v.at(6).bin, "dataplane test");
  ASSERT_EQ(v.at(7).list.size(), 2u);  // one ColumnOrder per leaf
  EXPECT_TRUE(v.at(7).list[0].has(1));
}

TEST(ParquetMetadata, EmptyKeyValueMetadataIsLeftOut) {
  FileMetaData m = SampleFile();
  m.key_value_metadata.clear();
  const std::string bytes = SerializeFileMetaData(m);
  CompactReader reader(bytes);
  EXPECT_FALSE(reader.ReadStruct().has(5));
}

}  // namespace
}  // namespace dataplane::parquet
