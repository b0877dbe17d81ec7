#pragma once
// Page decompression for the Parquet reader, the reverse of codec.h: UNCOMPRESSED, SNAPPY (raw
// block format) and ZSTD. Decompress returns exactly `uncompressed_size` bytes, the size the
// page header promises, or an Error: kMalformed (code "malformed_parquet") when the compressed
// bytes are corrupt or decompress to another size (for UNCOMPRESSED, when the two sizes differ)
// or when `uncompressed_size` passes kMaxUncompressedPageBytes; unsupported (reader_error.h) for
// any other codec. It never allocates more than `uncompressed_size` (checked first) plus the
// libraries' own bounded state. Stateless and thread-safe.
#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.h"
#include "parquet/parquet_metadata.h"

namespace dataplane::parquet {

inline constexpr std::size_t kMaxUncompressedPageBytes = 256u << 20;

core::Result<std::string> Decompress(CompressionCodec codec, std::string_view compressed,
                                     std::size_t uncompressed_size);

}  // namespace dataplane::parquet
