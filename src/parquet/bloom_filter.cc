#include "parquet/bloom_filter.h"

#include <xxhash.h>

#include <array>
#include <bit>
#include <cmath>

#include "parquet/thrift_compact_writer.h"

namespace dataplane::parquet {
namespace {

constexpr std::array<std::uint32_t, 8> kSalt = {0x47b6137bU, 0x44974d91U, 0x8824ad5bU, 0xa2b7289dU,
                                                0x705495c7U, 0x2df1424bU, 0x9efc4947U, 0x5c6bfb31U};

// Bits for `ndv` values at `fpp` (BloomFilter.md: m = -8 ndv / ln(1 - fpp^(1/8))), as bytes
// rounded up to a power of two within the limits.
std::size_t FilterBytes(std::size_t ndv, double fpp) {
  const double bits = -8.0 * static_cast<double>(ndv) / std::log(1.0 - std::pow(fpp, 1.0 / 8));
  const double wanted = std::ceil(bits / 8);
  if (!(wanted < static_cast<double>(SplitBlockBloomFilter::kMaxBytes))) {
    return SplitBlockBloomFilter::kMaxBytes;
  }
  const std::size_t bytes = std::bit_ceil(static_cast<std::size_t>(wanted));
  return bytes < SplitBlockBloomFilter::kMinBytes ? SplitBlockBloomFilter::kMinBytes : bytes;
}

std::uint32_t BitOf(std::uint32_t key, std::size_t word) {
  return std::uint32_t{1} << ((key * kSalt[word]) >> 27);
}

}  // namespace

SplitBlockBloomFilter::SplitBlockBloomFilter(std::size_t distinct_values,
                                             double false_positive_probability)
    : words_(FilterBytes(distinct_values, false_positive_probability) / 4, 0) {}

std::uint64_t SplitBlockBloomFilter::Hash(std::string_view plain) {
  return XXH64(plain.data(), plain.size(), 0);
}

std::size_t SplitBlockBloomFilter::BlockOf(std::uint64_t hash) const {
  const std::uint64_t blocks = words_.size() / 8;
  return static_cast<std::size_t>(((hash >> 32) * blocks) >> 32);
}

void SplitBlockBloomFilter::Insert(std::uint64_t hash) {
  const std::size_t first = BlockOf(hash) * 8;
  const auto key = static_cast<std::uint32_t>(hash);
  for (std::size_t w = 0; w < 8; ++w) words_[first + w] |= BitOf(key, w);
}

bool SplitBlockBloomFilter::MightContain(std::uint64_t hash) const {
  const std::size_t first = BlockOf(hash) * 8;
  const auto key = static_cast<std::uint32_t>(hash);
  for (std::size_t w = 0; w < 8; ++w) {
    if ((words_[first + w] & BitOf(key, w)) == 0) return false;
  }
  return true;
}

// BloomFilterHeader {1: numBytes, 2: algorithm {1: BLOCK {}}, 3: hash {1: XXHASH {}},
// 4: compression {1: UNCOMPRESSED {}}}, then the words little-endian.
std::string SplitBlockBloomFilter::Serialize() const {
  ThriftCompactWriter w;
  w.BeginStruct();
  w.FieldI32(1, static_cast<std::int32_t>(bytes()));
  for (std::int16_t union_field : {2, 3, 4}) {
    w.FieldStruct(union_field);
    w.FieldStruct(1);
    w.EndStruct();
    w.EndStruct();
  }
  w.EndStruct();
  std::string out = w.Take();
  out.reserve(out.size() + bytes());
  for (std::uint32_t word : words_) {
    for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<char>(word >> shift));
  }
  return out;
}

}  // namespace dataplane::parquet
