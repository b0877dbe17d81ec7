#pragma once
// The reverse of rle_hybrid_encoder.h: the RLE / bit-packing hybrid encoding of Parquet, as
// used for definition levels (bit width 1) and dictionary indices. `data` carries no length
// prefix and no bit-width byte (the page layout strips those).
//
// DecodeRleHybrid appends exactly `count` values to `out`, or returns an Error (kMalformed,
// code "malformed_parquet") when the runs end before `count` values, a run passes the end of
// `data`, a varint header is bad, or an RLE value does not fit `bit_width`. The padding of the
// last bit-packed group and any bytes after the `count`th value are ignored. `bit_width` must be
// 0..32 (checked). Never reads outside `data`; appends no more than `count` values.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace dataplane::parquet {

core::Status DecodeRleHybrid(std::string_view data, int bit_width, std::size_t count,
                             std::vector<std::uint32_t>& out);

}  // namespace dataplane::parquet
