#include "parquet/rle_hybrid_decoder.h"

#include <gtest/gtest.h>

#include <vector>

#include "parquet/rle_hybrid_encoder.h"
#include "parquet/testing/bytes.h"

namespace dataplane::parquet {
namespace {

using testing::Bytes;

TEST(RleHybridDecoder, ReadsWhatTheEncoderWrites) {
  for (int width : {0, 1, 3, 8, 13, 32}) {
    RleHybridEncoder encoder(width);
    std::vector<std::uint32_t> expected;
    const std::uint64_t limit = width == 32 ? 0xFFFFFFFFull : (std::uint64_t{1} << width) - 1;
    for (std::uint32_t i = 0; i < 1000; ++i) {
      // Runs and literals mixed.
      const std::uint64_t value = (i % 100 < 30) ? limit : (i * 2654435761u) & limit;
      expected.push_back(static_cast<std::uint32_t>(value));
      encoder.Add(static_cast<std::uint32_t>(value));
    }
    const std::string bytes = encoder.Finish();
    std::vector<std::uint32_t> got;
    core::Status decoded = DecodeRleHybrid(bytes, width, expected.size(), got);
    ASSERT_TRUE(decoded.ok()) << width << ": " << decoded.error().message;
    EXPECT_EQ(got, expected) << width;
  }
}

TEST(RleHybridDecoder, StopsAtCountInsideARun) {
  std::vector<std::uint32_t> got;
  // An RLE run of 1000 ones, of which only 3 are wanted.
  ASSERT_TRUE(DecodeRleHybrid(Bytes({0xD0, 0x0F, 0x01}), 1, 3, got).ok());
  EXPECT_EQ(got, (std::vector<std::uint32_t>{1, 1, 1}));
}

TEST(RleHybridDecoder, RefusesMalformedRuns) {
  std::vector<std::uint32_t> got;
  EXPECT_FALSE(DecodeRleHybrid("", 1, 1, got).ok());                   // nothing
  EXPECT_FALSE(DecodeRleHybrid(Bytes({0x04, 0x01}), 1, 3, got).ok());  // run of 2 < 3
  EXPECT_FALSE(DecodeRleHybrid(Bytes({0x04, 0x02}), 1, 2, got).ok());  // value too wide
  EXPECT_FALSE(DecodeRleHybrid(Bytes({0x04}), 8, 2, got).ok());        // value missing
  EXPECT_FALSE(DecodeRleHybrid(Bytes({0x05}), 3, 8, got).ok());        // packed bytes missing
  EXPECT_FALSE(
      DecodeRleHybrid(Bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}), 4,
                      8, got)
          .ok());                                                       // an endless varint
  EXPECT_FALSE(DecodeRleHybrid(Bytes({0x03, 0xFF}), 33, 8, got).ok());  // bit width
  EXPECT_FALSE(DecodeRleHybrid(Bytes({0xFF, 0xFF, 0xFF, 0xFF, 0x0F}), 32, 8, got).ok());
}

TEST(RleHybridDecoder, EmptyRunsMakeProgress) {
  std::vector<std::uint32_t> got;
  // Runs of 0 values and bit-packed runs of 0 groups, then the end: an error, not a hang.
  EXPECT_FALSE(DecodeRleHybrid(Bytes({0x00, 0x00, 0x01, 0x01, 0x00, 0x00}), 1, 1, got).ok());
}

}  // namespace
}  // namespace dataplane::parquet
