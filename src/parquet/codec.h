#pragma once
// Page compression for the Parquet writer: zstd (at WriterOptions::zstd_level), snappy (raw
// block format, as Parquet requires) or none. Compress returns the compressed bytes, or an
// Error (kInternal, code "compression_failed") when the library reports a failure; the input is
// not changed. Stateless and thread-safe.
#include <string>
#include <string_view>

#include "core/error.h"
#include "parquet/file_writer.h"
#include "parquet/parquet_metadata.h"

namespace dataplane::parquet {

core::Result<std::string> Compress(Codec codec, int zstd_level, std::string_view raw);
//! The CompressionCodec value written in ColumnMetaData for `codec`.
CompressionCodec WireCodec(Codec codec);

}  // namespace dataplane::parquet
