#include "parquet/bloom_filter.h"

#include <gtest/gtest.h>

#include <string>

#include "parquet/testing/compact_reader.h"

namespace dataplane::parquet {
namespace {

TEST(SplitBlockBloomFilter, HashIsXxHash64WithSeedZero) {
  // Known answers of XXH64 (seed 0), as every Parquet reader computes them.
  EXPECT_EQ(SplitBlockBloomFilter::Hash(""), 0xEF46DB3751D8E999ULL);
  EXPECT_EQ(SplitBlockBloomFilter::Hash("a"), 0xD24EC4F1A98C6E5BULL);
}

TEST(SplitBlockBloomFilter, IsSizedInPowersOfTwoWithinItsLimits) {
  EXPECT_EQ(SplitBlockBloomFilter(0, 0.01).bytes(), SplitBlockBloomFilter::kMinBytes);
  EXPECT_EQ(SplitBlockBloomFilter(1, 0.01).bytes(), SplitBlockBloomFilter::kMinBytes);
  // About 9.7 bits per value at 1 %: 1000 values want 1211 bytes, rounded up to 2048.
  EXPECT_EQ(SplitBlockBloomFilter(1000, 0.01).bytes(), 2048u);
  EXPECT_EQ(SplitBlockBloomFilter(std::size_t{1} << 40, 0.01).bytes(),
            SplitBlockBloomFilter::kMaxBytes);
}

TEST(SplitBlockBloomFilter, HoldsWhatWasInsertedAndRarelyAnythingElse) {
  SplitBlockBloomFilter filter(10000, 0.01);
  for (int i = 0; i < 10000; ++i)
    filter.Insert(SplitBlockBloomFilter::Hash("in-" + std::to_string(i)));
  for (int i = 0; i < 10000; ++i) {
    ASSERT_TRUE(filter.MightContain(SplitBlockBloomFilter::Hash("in-" + std::to_string(i)))) << i;
  }
  int false_positives = 0;
  for (int i = 0; i < 100000; ++i) {
    false_positives += filter.MightContain(SplitBlockBloomFilter::Hash("out-" + std::to_string(i)));
  }
  EXPECT_LT(false_positives, 2000);  // 1 % wanted; the power-of-two rounding only lowers it
}

TEST(SplitBlockBloomFilter, SerializesItsHeaderThenTheBitset) {
  SplitBlockBloomFilter filter(100, 0.01);
  filter.Insert(SplitBlockBloomFilter::Hash("x"));
  const std::string bytes = filter.Serialize();
  testing::CompactReader reader(bytes);
  const testing::TValue header = reader.ReadStruct();
  EXPECT_EQ(header.at(1).i, static_cast<std::int64_t>(filter.bytes()));
  for (int union_field : {2, 3, 4}) {
    ASSERT_TRUE(header.has(union_field)) << union_field;
    EXPECT_TRUE(header.at(union_field).has(1)) << union_field;  // BLOCK, XXHASH, UNCOMPRESSED
  }
  EXPECT_EQ(bytes.size(), reader.position() + filter.bytes());
  EXPECT_NE(bytes.substr(reader.position()), std::string(filter.bytes(), '\0'));
}

}  // namespace
}  // namespace dataplane::parquet
