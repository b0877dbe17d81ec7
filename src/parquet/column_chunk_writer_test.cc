#include "parquet/column_chunk_writer.h"

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

struct Page {
  TValue header;
  std::string data;
  std::size_t header_size = 0;
};

std::vector<Page> Pages(std::string_view bytes) {
  std::vector<Page> pages;
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    CompactReader reader(bytes.substr(pos));
    Page page;
    page.header = reader.ReadStruct();
    page.header_size = reader.position();
    pos += reader.position();
    const auto size = static_cast<std::size_t>(page.header.at(3).i);
    page.data = std::string(bytes.substr(pos, size));
    pos += size;
    pages.push_back(std::move(page));
  }
  return pages;
}

ColumnChunkOptions Options(PhysicalType type, bool nullable) {
  ColumnChunkOptions o;
  o.name = "c";
  o.type = type;
  o.nullable = nullable;
  return o;
}

TEST(ColumnChunkWriter, RequiredInt64PageIsPlainValuesOnly) {
  ColumnChunkWriter w(Options(PhysicalType::kInt64, false));
  w.AddInt64(1);
  w.AddInt64(-1);
  core::Result<EncodedChunk> chunk = w.Finish(100);
  ASSERT_TRUE(chunk.ok());
  EXPECT_TRUE(chunk->dictionary_page.empty());
  std::vector<Page> pages = Pages(chunk->data_pages);
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0].header.at(5).at(1).i, 2);  // num_values
  EXPECT_EQ(pages[0].header.at(5).at(2).i, 0);  // PLAIN
  EXPECT_EQ(pages[0].data, std::string("\x01\0\0\0\0\0\0\0", 8) + std::string(8, '\xFF'));
  const ColumnMetaData& m = chunk->meta_data;
  EXPECT_EQ(m.data_page_offset, 100);
  EXPECT_FALSE(m.dictionary_page_offset.has_value());
  EXPECT_EQ(m.num_values, 2);
  EXPECT_EQ(m.encodings, std::vector<Encoding>{Encoding::kPlain});
  EXPECT_EQ(m.total_uncompressed_size, static_cast<std::int64_t>(chunk->data_pages.size()));
  EXPECT_EQ(m.total_compressed_size, m.total_uncompressed_size);
}

TEST(ColumnChunkWriter, OptionalColumnHasLengthPrefixedDefinitionLevels) {
  ColumnChunkWriter w(Options(PhysicalType::kInt32, true));
  w.AddInt32(7);
  w.AddNull();
  w.AddInt32(9);
  core::Result<EncodedChunk> chunk = w.Finish(0);
  ASSERT_TRUE(chunk.ok());
  std::vector<Page> pages = Pages(chunk->data_pages);
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0].header.at(5).at(1).i, 3);  // nulls count as values
  const std::string& d = pages[0].data;
  ASSERT_EQ(Le32(d), 2u);  // one bit-packed group: 0x03, 1,0,1 = 0x05
  EXPECT_EQ(d.substr(4, 2), std::string("\x03\x05"));
  EXPECT_EQ(d.substr(6), std::string("\x07\0\0\0\x09\0\0\0", 8));
  EXPECT_EQ(chunk->meta_data.statistics.null_count, 1);
  EXPECT_EQ(chunk->meta_data.encodings, (std::vector<Encoding>{Encoding::kPlain, Encoding::kRle}));
}

TEST(ColumnChunkWriter, NullInRequiredColumnThrows) {
  ColumnChunkWriter w(Options(PhysicalType::kInt32, false));
  EXPECT_THROW(w.AddNull(), std::logic_error);
}

TEST(ColumnChunkWriter, DictionaryPageComesFirst) {
  ColumnChunkOptions o = Options(PhysicalType::kByteArray, true);
  o.dictionary = true;
  ColumnChunkWriter w(o);
  for (const char* v : {"b", "a", "b", "b"}) w.AddBytes(v);
  w.AddNull();
  core::Result<EncodedChunk> chunk = w.Finish(4);
  ASSERT_TRUE(chunk.ok());
  std::vector<Page> dict = Pages(chunk->dictionary_page);
  ASSERT_EQ(dict.size(), 1u);
  EXPECT_EQ(dict[0].header.at(1).i, 2);        // DICTIONARY_PAGE
  EXPECT_EQ(dict[0].header.at(7).at(1).i, 2);  // two entries
  EXPECT_EQ(dict[0].data, std::string("\x01\0\0\0b\x01\0\0\0a", 10));
  std::vector<Page> data = Pages(chunk->data_pages);
  ASSERT_EQ(data.size(), 1u);
  EXPECT_EQ(data[0].header.at(5).at(2).i, 8);  // RLE_DICTIONARY
  const std::string& d = data[0].data;
  const std::uint32_t levels = Le32(d);
  // bit width 1, then indices 0,1,0,0 bit-packed: 0x03, 0b0010
  EXPECT_EQ(d.substr(4 + levels), std::string("\x01\x03\x02", 3));
  const ColumnMetaData& m = chunk->meta_data;
  EXPECT_EQ(m.dictionary_page_offset, 4);
  EXPECT_EQ(m.data_page_offset, 4 + static_cast<std::int64_t>(chunk->dictionary_page.size()));
  EXPECT_EQ(m.encodings,
            (std::vector<Encoding>{Encoding::kPlain, Encoding::kRle, Encoding::kRleDictionary}));
  EXPECT_EQ(m.statistics.min_value, "a");
  EXPECT_EQ(m.statistics.max_value, "b");
}

TEST(ColumnChunkWriter, DictionaryFallsBackToPlainWhenFull) {
  ColumnChunkOptions o = Options(PhysicalType::kByteArray, false);
  o.dictionary = true;
  o.max_dictionary_bytes = 2 * (4 + 5);  // room for two 5-byte values
  ColumnChunkWriter w(o);
  for (const char* v : {"aaaaa", "bbbbb", "aaaaa", "ccccc", "aaaaa"}) w.AddBytes(v);
  core::Result<EncodedChunk> chunk = w.Finish(0);
  ASSERT_TRUE(chunk.ok());
  EXPECT_EQ(Pages(chunk->dictionary_page).at(0).header.at(7).at(1).i, 2);
  std::vector<Page> data = Pages(chunk->data_pages);
  ASSERT_EQ(data.size(), 2u);
  EXPECT_EQ(data[0].header.at(5).at(2).i, 8);  // the first three values stay dictionary-encoded
  EXPECT_EQ(data[0].header.at(5).at(1).i, 3);
  EXPECT_EQ(data[1].header.at(5).at(2).i, 0);  // the rest is PLAIN
  EXPECT_EQ(data[1].header.at(5).at(1).i, 2);
  EXPECT_EQ(data[1].data, std::string("\x05\0\0\0ccccc\x05\0\0\0aaaaa", 18));
  EXPECT_EQ(chunk->meta_data.encodings,
            (std::vector<Encoding>{Encoding::kPlain, Encoding::kRleDictionary}));
  EXPECT_EQ(chunk->meta_data.num_values, 5);
  EXPECT_EQ(chunk->meta_data.statistics.max_value, "ccccc");
}

TEST(ColumnChunkWriter, AllNullDictionaryColumnHasNoDictionaryPage) {
  ColumnChunkOptions o = Options(PhysicalType::kByteArray, true);
  o.dictionary = true;
  ColumnChunkWriter w(o);
  w.AddNull();
  w.AddNull();
  core::Result<EncodedChunk> chunk = w.Finish(0);
  ASSERT_TRUE(chunk.ok());
  EXPECT_TRUE(chunk->dictionary_page.empty());
  EXPECT_EQ(Pages(chunk->data_pages).at(0).header.at(5).at(2).i, 0);
  EXPECT_FALSE(chunk->meta_data.statistics.min_value.has_value());
  EXPECT_EQ(chunk->meta_data.statistics.null_count, 2);
}

TEST(ColumnChunkWriter, PagesAreCutAtPageBytes) {
  ColumnChunkOptions o = Options(PhysicalType::kInt64, false);
  o.page_bytes = 80;  // ten values per page
  o.codec = Codec::kZstd;
  ColumnChunkWriter w(o);
  for (int i = 0; i < 25; ++i) w.AddInt64(i);
  core::Result<EncodedChunk> chunk = w.Finish(0);
  ASSERT_TRUE(chunk.ok());
  std::vector<Page> pages = Pages(chunk->data_pages);
  ASSERT_EQ(pages.size(), 3u);
  std::int64_t values = 0;
  std::int64_t uncompressed = 0;
  std::int64_t compressed = 0;
  for (const Page& p : pages) {
    values += p.header.at(5).at(1).i;
    uncompressed += static_cast<std::int64_t>(p.header_size) + p.header.at(2).i;
    compressed += static_cast<std::int64_t>(p.header_size) + p.header.at(3).i;
  }
  EXPECT_EQ(values, 25);
  EXPECT_EQ(pages[0].header.at(5).at(1).i, 10);
  EXPECT_EQ(chunk->meta_data.total_uncompressed_size, uncompressed);
  EXPECT_EQ(chunk->meta_data.total_compressed_size, compressed);
  EXPECT_EQ(compressed, static_cast<std::int64_t>(chunk->data_pages.size()));
  EXPECT_EQ(chunk->meta_data.codec, CompressionCodec::kZstd);
}

TEST(ColumnChunkWriter, FinishStartsANewChunk) {
  ColumnChunkOptions o = Options(PhysicalType::kByteArray, false);
  o.dictionary = true;
  ColumnChunkWriter w(o);
  w.AddBytes("x");
  ASSERT_TRUE(w.Finish(0).ok());
  w.AddBytes("y");
  core::Result<EncodedChunk> second = w.Finish(50);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->meta_data.num_values, 1);
  EXPECT_EQ(second->meta_data.statistics.min_value, "y");
  EXPECT_EQ(Pages(second->dictionary_page).at(0).data, std::string("\x01\0\0\0y", 5));
}

TEST(ColumnChunkWriter, BooleansArePackedUuidsAreFixed) {
  ColumnChunkWriter bools(Options(PhysicalType::kBoolean, false));
  for (bool b : {true, false, true}) bools.AddBool(b);
  core::Result<EncodedChunk> b = bools.Finish(0);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(Pages(b->data_pages).at(0).data, "\x05");

  ColumnChunkWriter uuids(Options(PhysicalType::kFixedLenByteArray, false));
  const std::string id(16, '\x7A');
  uuids.AddBytes(id);
  core::Result<EncodedChunk> u = uuids.Finish(0);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(Pages(u->data_pages).at(0).data, id);
  EXPECT_EQ(u->meta_data.statistics.min_value, id);
}

}  // namespace
}  // namespace dataplane::parquet
