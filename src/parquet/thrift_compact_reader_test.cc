#include "parquet/thrift_compact_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "parquet/testing/bytes.h"
#include "parquet/thrift_compact_writer.h"

namespace dataplane::parquet {
namespace {

using testing::Bytes;

TEST(ThriftCompactReader, ReadsWhatTheWriterWrites) {
  ThriftCompactWriter w;
  w.BeginStruct();
  w.FieldI32(1, -7);
  w.FieldI64(2, std::int64_t{1} << 40);
  w.FieldBinary(30, "name");  // long-form field header
  w.FieldBool(31, true);
  w.FieldList(32, CompactType::kI32, 20);  // long-form list size
  for (int i = 0; i < 20; ++i) w.ListI32(i);
  w.EndStruct();
  const std::string bytes = w.Take();

  ThriftCompactReader r(bytes);
  std::vector<std::int16_t> ids;
  std::int32_t i32 = 0;
  std::int64_t i64 = 0;
  std::string name;
  bool flag = false;
  std::vector<std::int32_t> list;
  core::Status read = r.ReadStruct([&](std::int16_t id, CompactType type) -> core::Status {
    ids.push_back(id);
    if (id == 1) i32 = *r.ReadI32();
    if (id == 2) i64 = *r.ReadI64();
    if (id == 30) name = std::string(*r.ReadBinary());
    if (id == 31) flag = ThriftCompactReader::BoolFieldValue(type);
    if (id == 32) {
      core::Result<ThriftCompactReader::ListHeader> header = r.ReadListHeader();
      EXPECT_EQ(header->element_type, CompactType::kI32);
      for (std::uint32_t i = 0; i < header->size; ++i) list.push_back(*r.ReadI32());
    }
    return core::OkStatus();
  });
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(ids, (std::vector<std::int16_t>{1, 2, 30, 31, 32}));
  EXPECT_EQ(i32, -7);
  EXPECT_EQ(i64, std::int64_t{1} << 40);
  EXPECT_EQ(name, "name");
  EXPECT_TRUE(flag);
  ASSERT_EQ(list.size(), 20u);
  EXPECT_EQ(list[19], 19);
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(ThriftCompactReader, SkipsFieldsOfEveryType) {
  const std::string bytes =
      Bytes({0x13, 0x05,                                         // 1: byte
             0x14, 0x04,                                         // 2: i16
             0x17, 1,    2,    3,    4,    5,    6,    7,    8,  // 3: double
             0x1B, 0x02, 0x58, 0x02, 0x01, 'a',  0x04, 0x00,     // 4: map<i32, binary> of 2
             0x1A, 0x21, 0x01, 0x02,                             // 5: set<bool> of 2
             0x19, 0x29, 0x15, 0x02, 0x25, 0x04, 0x06,           // 6: list<list<i32>> of 2
             0x1C, 0x1C, 0x11, 0x00, 0x00,                       // 7: struct{struct{bool}}
             0x1B, 0x00,                                         // 8: empty map
             0x15, 0x54,                                         // 9: i32 42, read
             0x00});
  ThriftCompactReader r(bytes);
  std::int32_t answer = 0;
  core::Status read = r.ReadStruct([&](std::int16_t id, CompactType type) -> core::Status {
    if (id != 9) return r.Skip(type);
    answer = *r.ReadI32();
    return core::OkStatus();
  });
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(answer, 42);
  EXPECT_EQ(r.remaining(), 0u);
}

core::Status SkipStruct(std::string_view bytes) {
  ThriftCompactReader r(bytes);
  return r.Skip(CompactType::kStruct);
}

TEST(ThriftCompactReader, RefusesMalformedInput) {
  EXPECT_FALSE(SkipStruct("").ok());
  EXPECT_FALSE(SkipStruct(Bytes({0x15})).ok());              // i32 field, no value
  EXPECT_FALSE(SkipStruct(Bytes({0x15, 0x80, 0x80})).ok());  // truncated varint
  EXPECT_FALSE(
      SkipStruct(Bytes({0x16, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x00}))
          .ok());                                                 // varint over 64 bits
  EXPECT_FALSE(SkipStruct(Bytes({0x18, 0x10, 'a', 0x00})).ok());  // binary past the end
  EXPECT_FALSE(SkipStruct(Bytes({0x19, 0xF5, 0xFF, 0xFF, 0x03, 0x00})).ok());  // list too long
  EXPECT_FALSE(SkipStruct(Bytes({0x1B, 0x7F, 0x55, 0x00})).ok());              // map too long
  EXPECT_FALSE(SkipStruct(Bytes({0x1D, 0x00})).ok());                          // unknown type 13
  EXPECT_FALSE(SkipStruct(Bytes({0x17, 1, 2, 3})).ok());  // double past the end
  EXPECT_TRUE(SkipStruct(Bytes({0x00})).ok());
}

TEST(ThriftCompactReader, RefusesOutOfRangeIntegers) {
  const std::string bytes = Bytes({0x80, 0x80, 0x80, 0x80, 0x20});  // 2^33 as a varint
  ThriftCompactReader r(bytes);
  EXPECT_FALSE(r.ReadI32().ok());
}

TEST(ThriftCompactReader, CapsNesting) {
  // Struct fields nested far deeper than kMaxDepth, and lists of lists.
  const std::string structs(100000, '\x1C');
  EXPECT_FALSE(SkipStruct(structs).ok());
  std::string lists = "\x19";
  for (int i = 0; i < 100000; ++i) lists += "\x19";
  EXPECT_FALSE(SkipStruct(lists).ok());
  std::string nested_ok;
  for (int i = 0; i < ThriftCompactReader::kMaxDepth - 1; ++i) nested_ok += "\x1C";
  nested_ok += std::string(ThriftCompactReader::kMaxDepth, '\0');
  EXPECT_TRUE(SkipStruct(nested_ok).ok());
}

TEST(ThriftCompactReader, HandlerErrorEndsTheStruct) {
  const std::string bytes = Bytes({0x15, 0x02, 0x15, 0x04, 0x00});
  ThriftCompactReader r(bytes);
  int calls = 0;
  core::Status read = r.ReadStruct([&](std::int16_t, CompactType) -> core::Status {
    ++calls;
    return core::Error::Malformed("stop", "stop");
  });
  EXPECT_FALSE(read.ok());
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace dataplane::parquet
