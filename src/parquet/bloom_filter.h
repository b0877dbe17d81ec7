#pragma once
// SplitBlockBloomFilter: the Bloom filter of the Apache Parquet format (BloomFilter.md of
// parquet-format), which readers such as DuckDB probe to skip a row group for an equality
// predicate (`WHERE entity_id = …`) whose value the filter says is absent.
//
// The filter is z blocks of 256 bits (eight 32-bit words). A value's hash is xxHash64 (seed 0)
// of its PLAIN encoding without length prefix (a string's bytes, a uuid's 16 bytes, an
// integer's little-endian bytes); the upper 32 bits pick the block, the lower 32 bits, times
// eight fixed salts, set one bit in each word. Sized for the number of distinct values at the
// requested false-positive probability, rounded up to a power of two bytes between kMinBytes and
// kMaxBytes. Serialize gives the BloomFilterHeader (Thrift compact: SPLIT_BLOCK, XXHASH,
// UNCOMPRESSED) followed by the bitset, as it is written into the file. Not thread-safe.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dataplane::parquet {

class SplitBlockBloomFilter {
 public:
  static constexpr std::size_t kMinBytes = 32;
  static constexpr std::size_t kMaxBytes = 128 * 1024 * 1024;

  SplitBlockBloomFilter(std::size_t distinct_values, double false_positive_probability);

  //! The hash the filter stores for a value whose PLAIN bytes are `plain`.
  static std::uint64_t Hash(std::string_view plain);

  void Insert(std::uint64_t hash);
  bool MightContain(std::uint64_t hash) const;

  std::size_t bytes() const { return words_.size() * 4; }
  std::string Serialize() const;

 private:
  std::size_t BlockOf(std::uint64_t hash) const;

  std::vector<std::uint32_t> words_;  // 8 per block
};

}  // namespace dataplane::parquet
