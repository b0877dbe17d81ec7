#include "parquet/rle_hybrid_encoder.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "parquet/testing/bytes.h"

namespace dataplane::parquet {
namespace {

using testing::Bytes;

std::string Encode(int bit_width, const std::vector<std::uint32_t>& values) {
  RleHybridEncoder encoder(bit_width);
  for (std::uint32_t v : values) encoder.Add(v);
  return encoder.Finish();
}

// An independent reading of bit-packed bytes (LSB first), to check widths too wide to derive
// by hand.
std::vector<std::uint32_t> Unpack(std::string_view bytes, int bit_width, std::size_t count) {
  std::vector<std::uint32_t> values;
  std::size_t bit = 0;
  for (std::size_t i = 0; i < count; ++i) {
    std::uint32_t v = 0;
    for (int b = 0; b < bit_width; ++b, ++bit) {
      const auto byte = static_cast<std::uint8_t>(bytes.at(bit / 8));
      v |= static_cast<std::uint32_t>((byte >> (bit % 8)) & 1) << b;
    }
    values.push_back(v);
  }
  return values;
}

TEST(RleHybridEncoder, AllEqualIsOneRleRun) {
  // header 10 << 1 = 0x14, then the value in one byte
  EXPECT_EQ(Encode(1, std::vector<std::uint32_t>(10, 1)), Bytes({0x14, 0x01}));
}

TEST(RleHybridEncoder, RleRunValueTakesWholeBytes) {
  // 9 values: header 0x12; bit width 9 needs two little-endian value bytes
  EXPECT_EQ(Encode(9, std::vector<std::uint32_t>(9, 0x1AB)), Bytes({0x12, 0xAB, 0x01}));
}

TEST(RleHybridEncoder, AlternatingValuesAreOneBitPackedGroup) {
  // header (1 group << 1) | 1 = 0x03; bits LSB first: 1,0,1,0,1,0,1,0 = 0x55
  EXPECT_EQ(Encode(1, {1, 0, 1, 0, 1, 0, 1, 0}), Bytes({0x03, 0x55}));
}

TEST(RleHybridEncoder, BitPackedThenRle) {
  // bit width 2: 1,2,3,0 packs to 1 | 2<<2 | 3<<4 | 0<<6 = 0x39; then 8 × 3: header 0x10, 0x03
  EXPECT_EQ(Encode(2, {1, 2, 3, 0, 1, 2, 3, 0, 3, 3, 3, 3, 3, 3, 3, 3}),
            Bytes({0x03, 0x39, 0x39, 0x10, 0x03}));
}

TEST(RleHybridEncoder, OpenGroupIsCompletedFromTheNextRun) {
  // 1,0 then twelve 1s: the group takes six of them (1,0,1,1,1,1,1,1 = 0xFD), six are left,
  // too few for an RLE run, so a second padded group follows (0x3F).
  std::vector<std::uint32_t> values = {1, 0};
  values.insert(values.end(), 12, 1);
  EXPECT_EQ(Encode(1, values), Bytes({0x05, 0xFD, 0x3F}));
}

TEST(RleHybridEncoder, CountNotAMultipleOfEightIsZeroPadded) {
  // bit width 3: 1 | 2<<3 | (3 & 3)<<6 = 0xD1, then 3 >> 2 = 0; the group is 3 bytes
  EXPECT_EQ(Encode(3, {1, 2, 3}), Bytes({0x03, 0xD1, 0x00, 0x00}));
}

TEST(RleHybridEncoder, RunsLongerThanOneVarintByte) {
  // 100 zeros: header 200 = varint 0xC8 0x01
  EXPECT_EQ(Encode(1, std::vector<std::uint32_t>(100, 0)), Bytes({0xC8, 0x01, 0x00}));
}

TEST(RleHybridEncoder, BitWidthsOneToTwenty) {
  for (int width = 1; width <= 20; ++width) {
    SCOPED_TRACE(width);
    const std::uint32_t max = (1u << width) - 1;
    std::vector<std::uint32_t> values;
    for (std::uint32_t i = 0; i < 16; ++i) values.push_back((i * 2654435761u) & max);
    values[3] = max;
    const std::string packed = Encode(width, values);
    ASSERT_EQ(packed.size(), 1 + 2 * static_cast<std::size_t>(width));
    EXPECT_EQ(static_cast<std::uint8_t>(packed[0]), (2 << 1) | 1);
    EXPECT_EQ(Unpack(std::string_view(packed).substr(1), width, values.size()), values);

    const std::string run = Encode(width, std::vector<std::uint32_t>(8, max));
    std::string expected = Bytes({0x10});
    for (int b = 0; b < (width + 7) / 8; ++b) expected.push_back(static_cast<char>(max >> (8 * b)));
    EXPECT_EQ(run, expected);
  }
}

TEST(RleHybridEncoder, ValueWiderThanBitWidthThrows) {
  RleHybridEncoder encoder(2);
  EXPECT_THROW(encoder.Add(4), std::logic_error);
}

TEST(RleHybridEncoder, BitWidthFor) {
  EXPECT_EQ(RleHybridEncoder::BitWidthFor(0), 0);
  EXPECT_EQ(RleHybridEncoder::BitWidthFor(1), 1);
  EXPECT_EQ(RleHybridEncoder::BitWidthFor(2), 2);
  EXPECT_EQ(RleHybridEncoder::BitWidthFor(255), 8);
  EXPECT_EQ(RleHybridEncoder::BitWidthFor(256), 9);
  EXPECT_EQ(RleHybridEncoder::BitWidthFor(0xFFFFFFFFu), 32);
}

TEST(RleHybridEncoder, FinishStartsOver) {
  RleHybridEncoder encoder(1);
  encoder.Add(1);
  EXPECT_FALSE(encoder.Finish().empty());
  EXPECT_EQ(encoder.count(), 0u);
  EXPECT_TRUE(encoder.Finish().empty());
}

}  // namespace
}  // namespace dataplane::parquet
