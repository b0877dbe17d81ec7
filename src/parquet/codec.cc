#include "parquet/codec.h"

#include <snappy.h>
#include <zstd.h>

namespace dataplane::parquet {
namespace {

core::Error CompressionFailed(std::string message) {
  return {core::ErrorKind::kInternal, "compression_failed", std::move(message), {}};
}

core::Result<std::string> CompressZstd(int level, std::string_view raw) {
  std::string out(ZSTD_compressBound(raw.size()), '\0');
  const std::size_t size = ZSTD_compress(out.data(), out.size(), raw.data(), raw.size(), level);
  if (ZSTD_isError(size)) {
    return CompressionFailed(std::string("zstd: ") + ZSTD_getErrorName(size));
  }
  out.resize(size);
  return out;
}

std::string CompressSnappy(std::string_view raw) {
  std::string out;
  snappy::Compress(raw.data(), raw.size(), &out);
  return out;
}

}  // namespace

core::Result<std::string> Compress(Codec codec, int zstd_level, std::string_view raw) {
  switch (codec) {
    case Codec::kZstd:
      return CompressZstd(zstd_level, raw);
    case Codec::kSnappy:
      return CompressSnappy(raw);
    case Codec::kUncompressed:
      break;
  }
  return std::string(raw);
}

CompressionCodec WireCodec(Codec codec) {
  switch (codec) {
    case Codec::kZstd:
      return CompressionCodec::kZstd;
    case Codec::kSnappy:
      return CompressionCodec::kSnappy;
    case Codec::kUncompressed:
      break;
  }
  return CompressionCodec::kUncompressed;
}

}  // namespace dataplane::parquet
