#include "parquet/codec.h"

#include <gtest/gtest.h>
#include <snappy.h>
#include <zstd.h>

#include <string>

namespace dataplane::parquet {
namespace {

std::string SamplePage() {
  std::string page;
  for (int i = 0; i < 2000; ++i) page += "site-" + std::to_string(i % 17) + ";";
  return page;
}

TEST(Codec, ZstdRoundTrips) {
  const std::string raw = SamplePage();
  core::Result<std::string> packed = Compress(Codec::kZstd, 3, raw);
  ASSERT_TRUE(packed.ok());
  EXPECT_LT(packed->size(), raw.size());
  std::string unpacked(raw.size(), '\0');
  const std::size_t size =
      ZSTD_decompress(unpacked.data(), unpacked.size(), packed->data(), packed->size());
  ASSERT_FALSE(ZSTD_isError(size)) << ZSTD_getErrorName(size);
  unpacked.resize(size);
  EXPECT_EQ(unpacked, raw);
}

TEST(Codec, ZstdLevelIsUsed) {
  const std::string raw = SamplePage();
  core::Result<std::string> fast = Compress(Codec::kZstd, 1, raw);
  core::Result<std::string> strong = Compress(Codec::kZstd, 19, raw);
  ASSERT_TRUE(fast.ok());
  ASSERT_TRUE(strong.ok());
  EXPECT_NE(*fast, *strong);
}

TEST(Codec, SnappyRoundTrips) {
  const std::string raw = SamplePage();
  core::Result<std::string> packed = Compress(Codec::kSnappy, 3, raw);
  ASSERT_TRUE(packed.ok());
  EXPECT_LT(packed->size(), raw.size());
  std::string unpacked;
  ASSERT_TRUE(snappy::Uncompress(packed->data(), packed->size(), &unpacked));
  EXPECT_EQ(unpacked, raw);
}

TEST(Codec, EmptyInputRoundTrips) {
  core::Result<std::string> z = Compress(Codec::kZstd, 3, "");
  ASSERT_TRUE(z.ok());
  std::string out(1, 'x');
  EXPECT_EQ(ZSTD_decompress(out.data(), out.size(), z->data(), z->size()), 0u);
  core::Result<std::string> s = Compress(Codec::kSnappy, 3, "");
  ASSERT_TRUE(s.ok());
  std::string unpacked = "x";
  ASSERT_TRUE(snappy::Uncompress(s->data(), s->size(), &unpacked));
  EXPECT_EQ(unpacked, "");
}

TEST(Codec, UncompressedIsTheInput) {
  core::Result<std::string> out = Compress(Codec::kUncompressed, 3, "abc");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "abc");
}

TEST(Codec, WireValuesOfParquetThrift) {
  EXPECT_EQ(static_cast<int>(WireCodec(Codec::kUncompressed)), 0);
  EXPECT_EQ(static_cast<int>(WireCodec(Codec::kSnappy)), 1);
  EXPECT_EQ(static_cast<int>(WireCodec(Codec::kZstd)), 6);
}

}  // namespace
}  // namespace dataplane::parquet
