#include "parquet/plain_encoder.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "parquet/testing/bytes.h"

namespace dataplane::parquet {
namespace {

using testing::Bytes;

TEST(PlainEncoder, IntegersAreLittleEndianTwosComplement) {
  std::string out;
  AppendPlainInt32(-2, out);
  AppendPlainInt64(0x0102030405060708, out);
  EXPECT_EQ(out, Bytes({0xFE, 0xFF, 0xFF, 0xFF, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01}));
}

TEST(PlainEncoder, DoubleIsLittleEndianIeee) {
  std::string out;
  AppendPlainDouble(1.0, out);  // 0x3FF0000000000000
  EXPECT_EQ(out, Bytes({0, 0, 0, 0, 0, 0, 0xF0, 0x3F}));
}

TEST(PlainEncoder, ByteArrayHasALengthPrefixFixedDoesNot) {
  std::string out;
  AppendPlainByteArray("ab", out);
  AppendPlainFixed("cd", out);
  EXPECT_EQ(out, Bytes({2, 0, 0, 0, 'a', 'b', 'c', 'd'}));
}

TEST(PlainEncoder, BooleansAreBitPackedLsbFirst) {
  BooleanPacker packer;
  for (bool b : {true, false, true, true, false, false, false, false, true}) packer.Add(b);
  EXPECT_EQ(packer.count(), 9u);
  EXPECT_EQ(packer.byte_size(), 2u);
  EXPECT_EQ(packer.Finish(), Bytes({0x0D, 0x01}));
  EXPECT_EQ(packer.count(), 0u);
}

}  // namespace
}  // namespace dataplane::parquet
