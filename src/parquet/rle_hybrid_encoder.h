#pragma once
// The RLE / bit-packing hybrid encoding of Parquet (Encodings.md "RLE"), used for definition
// levels (bit width 1) and dictionary indices (the bit width of the dictionary size).
//
// Values are buffered by Add and encoded by Finish: a run of at least 8 equal values becomes an
// RLE run (varint header `count << 1`, then the value in ceil(bit_width / 8) little-endian
// bytes); everything else becomes bit-packed runs of groups of 8 values (varint header
// `groups << 1 | 1`, values packed from the least significant bit up). The last group is padded
// with zeros; the reader knows the real count from the page header. The output carries no
// length prefix and no bit-width byte: the page layout adds those. Values wider than the bit
// width throw std::logic_error. Not thread-safe.
#include <cstdint>
#include <string>
#include <vector>

namespace dataplane::parquet {

class RleHybridEncoder {
 public:
  //! `bit_width` is 0..32.
  explicit RleHybridEncoder(int bit_width);

  void Add(std::uint32_t value);
  std::size_t count() const { return values_.size(); }
  int bit_width() const { return bit_width_; }
  //! The encoded bytes of every value added since the last Finish; the encoder is then empty.
  std::string Finish();

  //! Bits needed to store values 0..max_value (0 for 0).
  static int BitWidthFor(std::uint32_t max_value);

 private:
  void AppendRleRun(std::uint32_t value, std::size_t count, std::string& out) const;
  void AppendBitPackedRun(const std::vector<std::uint32_t>& literals, std::string& out) const;

  int bit_width_;
  std::vector<std::uint32_t> values_;
};

}  // namespace dataplane::parquet
