#include "parquet/thrift_compact_writer.h"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "parquet/testing/bytes.h"

namespace dataplane::parquet {
namespace {

using testing::Bytes;

TEST(ThriftCompactWriter, VarintMatchesTheSpecExample) {
  std::string out;
  ThriftCompactWriter::AppendVarint(50399, out);
  EXPECT_EQ(out, Bytes({0xDF, 0x89, 0x03}));
}

TEST(ThriftCompactWriter, ZigZagFoldsNegatives) {
  EXPECT_EQ(ThriftCompactWriter::ZigZag32(0), 0u);
  EXPECT_EQ(ThriftCompactWriter::ZigZag32(-1), 1u);
  EXPECT_EQ(ThriftCompactWriter::ZigZag32(1), 2u);
  EXPECT_EQ(ThriftCompactWriter::ZigZag32(-2), 3u);
  EXPECT_EQ(ThriftCompactWriter::ZigZag32(std::numeric_limits<std::int32_t>::min()), 0xFFFFFFFFu);
  EXPECT_EQ(ThriftCompactWriter::ZigZag64(std::numeric_limits<std::int64_t>::max()),
            0xFFFFFFFFFFFFFFFEull);
}

TEST(ThriftCompactWriter, ShortFieldHeadersCarryTheIdDelta) {
  ThriftCompactWriter w;
  w.BeginStruct();
  w.FieldI32(1, 2);    // delta 1, type 5
  w.FieldI64(3, 300);  // delta 2, type 6; zigzag 600 = 0xD8 0x04
  w.EndStruct();
  EXPECT_EQ(w.bytes(), Bytes({0x15, 0x04, 0x26, 0xD8, 0x04, 0x00}));
}

TEST(ThriftCompactWriter, LongFieldHeaderForBigOrBackwardDeltas) {
  ThriftCompactWriter w;
  w.BeginStruct();
  w.FieldI32(1, 0);
  w.FieldI32(20, -1);  // delta 19: type byte, then zigzag(20) = 40
  w.FieldI32(3, 1);    // delta negative: long form, zigzag(3) = 6
  w.EndStruct();
  EXPECT_EQ(w.bytes(), Bytes({0x15, 0x00, 0x05, 0x28, 0x01, 0x05, 0x06, 0x02, 0x00}));
}

TEST(ThriftCompactWriter, NegativeNumbers) {
  ThriftCompactWriter w;
  w.BeginStruct();
  w.FieldI64(1, -64);                                       // zigzag 127
  w.FieldI64(2, -65);                                       // zigzag 129
  w.FieldI64(3, std::numeric_limits<std::int64_t>::min());  // zigzag 2^64 - 1: ten bytes
  w.EndStruct();
  EXPECT_EQ(w.bytes(), Bytes({0x16, 0x7F, 0x16, 0x81, 0x01, 0x16, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                              0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00}));
}

TEST(ThriftCompactWriter, BoolsLiveInTheFieldHeader) {
  ThriftCompactWriter w;
  w.BeginStruct();
  w.FieldBool(1, true);
  w.FieldBool(2, false);
  w.EndStruct();
  EXPECT_EQ(w.bytes(), Bytes({0x11, 0x12, 0x00}));
}

TEST(ThriftCompactWriter, BinaryIsLengthThenBytes) {
  ThriftCompactWriter w;
  w.BeginStruct();
  w.FieldBinary(4, "hi");
  w.FieldBinary(5, "");
  w.EndStruct();
  EXPECT_EQ(w.bytes(), Bytes({0x48, 0x02, 'h', 'i', 0x18, 0x00, 0x00}));
}

TEST(ThriftCompactWriter, NestedStructsKeepTheirOwnLastFieldId) {
  ThriftCompactWriter w;
  w.BeginStruct();
  w.FieldI32(1, 1);
  w.FieldStruct(3);  // delta 2, type 12
  w.FieldI32(1, 5);  // delta counted from 0 inside the nested struct
  w.EndStruct();
  w.FieldI32(4, 7);  // delta 1 from the nested struct's field id 3
  w.EndStruct();
  EXPECT_EQ(w.bytes(), Bytes({0x15, 0x02, 0x2C, 0x15, 0x0A, 0x00, 0x15, 0x0E, 0x00}));
}

TEST(ThriftCompactWriter, ShortListHeader) {
  ThriftCompactWriter w;
  w.BeginStruct();
  w.FieldList(2, CompactType::kI32, 3);
  w.ListI32(0);
  w.ListI32(3);
  w.ListI32(8);
  w.EndStruct();
  EXPECT_EQ(w.bytes(), Bytes({0x29, 0x35, 0x00, 0x06, 0x10, 0x00}));
}

TEST(ThriftCompactWriter, LongListHeaderFromFifteenElements) {
  ThriftCompactWriter w;
  w.BeginStruct();
  w.FieldList(1, CompactType::kBinary, 15);
  for (int i = 0; i < 15; ++i) w.ListBinary("a");
  w.EndStruct();
  std::string expected = Bytes({0x19, 0xF8, 0x0F});
  for (int i = 0; i < 15; ++i) expected += Bytes({0x01, 'a'});
  expected += Bytes({0x00});
  EXPECT_EQ(w.bytes(), expected);
}

TEST(ThriftCompactWriter, ListOfStructs) {
  ThriftCompactWriter w;
  w.BeginStruct();
  w.FieldList(1, CompactType::kStruct, 2);
  w.BeginStruct();
  w.FieldI32(2, 1);
  w.EndStruct();
  w.BeginStruct();  // each element starts its field ids from 0 again
  w.FieldI32(2, 2);
  w.EndStruct();
  w.EndStruct();
  EXPECT_EQ(w.bytes(), Bytes({0x19, 0x2C, 0x25, 0x02, 0x00, 0x25, 0x04, 0x00, 0x00}));
}

TEST(ThriftCompactWriter, MisuseThrows) {
  ThriftCompactWriter w;
  EXPECT_THROW(w.EndStruct(), std::logic_error);
  EXPECT_THROW(w.FieldI32(1, 1), std::logic_error);
}

TEST(ThriftCompactWriter, TakeEmptiesTheWriter) {
  ThriftCompactWriter w;
  w.BeginStruct();
  w.EndStruct();
  EXPECT_EQ(w.Take(), Bytes({0x00}));
  EXPECT_TRUE(w.bytes().empty());
}

}  // namespace
}  // namespace dataplane::parquet
