#include "parquet/rle_hybrid_encoder.h"

#include <stdexcept>

#include "parquet/thrift_compact_writer.h"

namespace dataplane::parquet {
namespace {

constexpr std::size_t kGroup = 8;      // bit-packed runs hold whole groups of 8 values
constexpr std::size_t kMinRleRun = 8;  // shorter repeats are cheaper bit-packed

std::size_t RunLength(const std::vector<std::uint32_t>& values, std::size_t start) {
  std::size_t end = start + 1;
  while (end < values.size() && values[end] == values[start]) ++end;
  return end - start;
}

}  // namespace

RleHybridEncoder::RleHybridEncoder(int bit_width) : bit_width_(bit_width) {
  if (bit_width < 0 || bit_width > 32) throw std::logic_error("rle: bit width out of 0..32");
}

int RleHybridEncoder::BitWidthFor(std::uint32_t max_value) {
  int bits = 0;
  while (bits < 32 && (max_value >> bits) != 0) ++bits;
  return bits;
}

void RleHybridEncoder::Add(std::uint32_t value) {
  if (bit_width_ < 32 && (static_cast<std::uint64_t>(value) >> bit_width_) != 0) {
    throw std::logic_error("rle: value wider than the bit width");
  }
  values_.push_back(value);
}

void RleHybridEncoder::AppendRleRun(std::uint32_t value, std::size_t count,
                                    std::string& out) const {
  ThriftCompactWriter::AppendVarint(static_cast<std::uint64_t>(count) << 1, out);
  const int value_bytes = (bit_width_ + 7) / 8;
  for (int i = 0; i < value_bytes; ++i) out.push_back(static_cast<char>(value >> (8 * i)));
}

void RleHybridEncoder::AppendBitPackedRun(const std::vector<std::uint32_t>& literals,
                                          std::string& out) const {
  const std::size_t groups = (literals.size() + kGroup - 1) / kGroup;
  ThriftCompactWriter::AppendVarint((static_cast<std::uint64_t>(groups) << 1) | 1, out);
  std::uint64_t bits = 0;  // pending bits, least significant first
  int pending = 0;
  for (std::size_t i = 0; i < groups * kGroup; ++i) {
    const std::uint64_t value = i < literals.size() ? literals[i] : 0;
    bits |= value << pending;
    pending += bit_width_;
    while (pending >= 8) {
      out.push_back(static_cast<char>(bits & 0xFF));
      bits >>= 8;
      pending -= 8;
    }
  }
  // 8 values of bit_width bits are always a whole number of bytes, so nothing is left over.
}

std::string RleHybridEncoder::Finish() {
  std::string out;
  std::vector<std::uint32_t> literals;
  std::size_t i = 0;
  while (i < values_.size()) {
    const std::size_t run = RunLength(values_, i);
    if (run < kMinRleRun) {
      literals.insert(literals.end(), values_.begin() + i, values_.begin() + i + run);
      i += run;
    } else if (literals.size() % kGroup != 0) {
      // Complete the open group from the run; what is left of the run is looked at again.
      const std::size_t fill = kGroup - literals.size() % kGroup;
      literals.insert(literals.end(), fill, values_[i]);
      i += fill;
    } else {
      if (!literals.empty()) AppendBitPackedRun(literals, out);
      literals.clear();
      AppendRleRun(values_[i], run, out);
      i += run;
    }
  }
  if (!literals.empty()) AppendBitPackedRun(literals, out);
  values_.clear();
  return out;
}

}  // namespace dataplane::parquet
