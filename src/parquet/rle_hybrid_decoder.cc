#include "parquet/rle_hybrid_decoder.h"

#include <algorithm>
#include <string>

#include "parquet/reader_error.h"

namespace dataplane::parquet {
namespace {

constexpr std::size_t kGroup = 8;

class RunReader {
 public:
  RunReader(std::string_view data, int bit_width) : data_(data), bit_width_(bit_width) {}

  bool done() const { return pos_ >= data_.size(); }

  core::Result<std::uint64_t> ReadVarint() {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= data_.size()) return MalformedParquet("rle: truncated run header");
      const auto byte = static_cast<std::uint8_t>(data_[pos_++]);
      value |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    return MalformedParquet("rle: run header too long");
  }

  //! `wanted` copies (of at most `run`) of the run's value.
  core::Status RleRun(std::uint64_t run, std::size_t wanted, std::vector<std::uint32_t>& out) {
    const std::size_t value_bytes = (static_cast<std::size_t>(bit_width_) + 7) / 8;
    if (data_.size() - pos_ < value_bytes) return MalformedParquet("rle: truncated run value");
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < value_bytes; ++i) {
      value |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(data_[pos_++])) << (8 * i);
    }
    if (bit_width_ < 32 && (value >> bit_width_) != 0) {
      return MalformedParquet("rle: run value wider than the bit width");
    }
    const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(run, wanted));
    out.insert(out.end(), take, static_cast<std::uint32_t>(value));
    return core::OkStatus();
  }

  //! The first `wanted` (at most groups * 8) values of a bit-packed run of `groups` groups.
  core::Status BitPackedRun(std::uint64_t groups, std::size_t wanted,
                            std::vector<std::uint32_t>& out) {
    const std::size_t left = data_.size() - pos_;
    const auto width = static_cast<std::uint64_t>(bit_width_);
    if (width != 0 && groups > left / width)
      return MalformedParquet("rle: truncated bit-packed run");
    const std::string_view run = data_.substr(pos_, static_cast<std::size_t>(groups * width));
    pos_ += run.size();
    const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(groups * kGroup, wanted));
    for (std::size_t i = 0; i < take; ++i) out.push_back(Unpack(run, i));
    return core::OkStatus();
  }

 private:
  std::uint32_t Unpack(std::string_view run, std::size_t index) const {
    if (bit_width_ == 0) return 0;
    const std::size_t first_bit = index * static_cast<std::size_t>(bit_width_);
    std::uint64_t window = 0;  // up to 5 bytes hold the value's bits
    const std::size_t first_byte = first_bit / 8;
    for (std::size_t b = 0; b < 5 && first_byte + b < run.size(); ++b) {
      window |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(run[first_byte + b]))
                << (8 * b);
    }
    const std::uint64_t mask = (std::uint64_t{1} << bit_width_) - 1;
    return static_cast<std::uint32_t>((window >> (first_bit % 8)) & mask);
  }

  std::string_view data_;
  int bit_width_;
  std::size_t pos_ = 0;
};

}  // namespace

core::Status DecodeRleHybrid(std::string_view data, int bit_width, std::size_t count,
                             std::vector<std::uint32_t>& out) {
  if (bit_width < 0 || bit_width > 32) {
    return MalformedParquet("rle: bit width " + std::to_string(bit_width) + " out of 0..32");
  }
  RunReader runs(data, bit_width);
  const std::size_t target = out.size() + count;
  while (out.size() < target) {
    if (runs.done()) return MalformedParquet("rle: values run out");
    core::Result<std::uint64_t> header = runs.ReadVarint();
    if (!header) return header.error();
    const std::size_t wanted = target - out.size();
    core::Status run = (*header & 1) != 0 ? runs.BitPackedRun(*header >> 1, wanted, out)
                                          : runs.RleRun(*header >> 1, wanted, out);
    if (!run) return run;
  }
  return core::OkStatus();
}

}  // namespace dataplane::parquet
