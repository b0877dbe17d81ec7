#include "parquet/codec_decompress.h"

#include <gtest/gtest.h>

#include <string>

#include "parquet/codec.h"

namespace dataplane::parquet {
namespace {

std::string Text() {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "row " + std::to_string(i % 37) + ";";
  return text;
}

TEST(Decompress, ReversesCompress) {
  const std::string raw = Text();
  for (Codec codec : {Codec::kUncompressed, Codec::kSnappy, Codec::kZstd}) {
    core::Result<std::string> compressed = Compress(codec, 3, raw);
    ASSERT_TRUE(compressed.ok());
    core::Result<std::string> back = Decompress(WireCodec(codec), *compressed, raw.size());
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(*back, raw);
    core::Result<std::string> empty = Decompress(WireCodec(codec), *Compress(codec, 3, ""), 0);
    ASSERT_TRUE(empty.ok()) << empty.error().message;
    EXPECT_TRUE(empty->empty());
  }
}

TEST(Decompress, RefusesAnotherSize) {
  const std::string raw = Text();
  for (Codec codec : {Codec::kUncompressed, Codec::kSnappy, Codec::kZstd}) {
    const std::string compressed = *Compress(codec, 3, raw);
    for (std::size_t size : {raw.size() - 1, raw.size() + 1, std::size_t{0}}) {
      core::Result<std::string> back = Decompress(WireCodec(codec), compressed, size);
      ASSERT_FALSE(back.ok()) << static_cast<int>(codec) << " " << size;
      EXPECT_EQ(back.error().kind, core::ErrorKind::kMalformed);
    }
  }
}

TEST(Decompress, RefusesCorruptBytesAndHugeSizes) {
  const std::string raw = Text();
  for (Codec codec : {Codec::kSnappy, Codec::kZstd}) {
    std::string compressed = *Compress(codec, 3, raw);
    EXPECT_FALSE(
        Decompress(WireCodec(codec), compressed.substr(0, compressed.size() / 2), raw.size()).ok());
    for (std::size_t i = 0; i < compressed.size(); i += 7) {
      std::string flipped = compressed;
      flipped[i] = static_cast<char>(flipped[i] ^ 0x5A);
      core::Result<std::string> back = Decompress(WireCodec(codec), flipped, raw.size());
      if (back.ok()) {
        EXPECT_EQ(back->size(), raw.size());  // either an error or the right size
      }
    }
  }
  core::Result<std::string> huge =
      Decompress(CompressionCodec::kZstd, "x", kMaxUncompressedPageBytes + 1);
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().kind, core::ErrorKind::kMalformed);
}

TEST(Decompress, RefusesUnknownCodecs) {
  core::Result<std::string> back = Decompress(static_cast<CompressionCodec>(2), "abc", 3);  // GZIP
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.error().code, "unsupported_parquet");
}

}  // namespace
}  // namespace dataplane::parquet
