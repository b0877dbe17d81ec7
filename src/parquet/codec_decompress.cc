#include "parquet/codec_decompress.h"

#include <snappy.h>
#include <zstd.h>

#include "parquet/reader_error.h"

namespace dataplane::parquet {
namespace {

core::Error SizeMismatch(const char* codec, std::size_t got, std::size_t expected) {
  return MalformedParquet(std::string(codec) + " page of " + std::to_string(got) +
                          " bytes where the header says " + std::to_string(expected));
}

core::Result<std::string> DecompressSnappy(std::string_view compressed, std::size_t size) {
  std::size_t length = 0;
  if (!snappy::GetUncompressedLength(compressed.data(), compressed.size(), &length)) {
    return MalformedParquet("corrupt snappy page");
  }
  if (length != size) return SizeMismatch("snappy", length, size);
  std::string out(size, '\0');
  if (!snappy::RawUncompress(compressed.data(), compressed.size(), out.data())) {
    return MalformedParquet("corrupt snappy page");
  }
  return out;
}

core::Result<std::string> DecompressZstd(std::string_view compressed, std::size_t size) {
  std::string out(size, '\0');
  const std::size_t got =
      ZSTD_decompress(out.data(), out.size(), compressed.data(), compressed.size());
  if (ZSTD_isError(got)) {
    return MalformedParquet(std::string("corrupt zstd page: ") + ZSTD_getErrorName(got));
  }
  if (got != size) return SizeMismatch("zstd", got, size);
  return out;
}

}  // namespace

core::Result<std::string> Decompress(CompressionCodec codec, std::string_view compressed,
                                     std::size_t uncompressed_size) {
  if (uncompressed_size > kMaxUncompressedPageBytes) {
    return MalformedParquet("a page of " + std::to_string(uncompressed_size) +
                            " bytes, past the reader's limit");
  }
  switch (codec) {
    case CompressionCodec::kUncompressed:
      if (compressed.size() != uncompressed_size) {
        return SizeMismatch("uncompressed", compressed.size(), uncompressed_size);
      }
      return std::string(compressed);
    case CompressionCodec::kSnappy:
      return DecompressSnappy(compressed, uncompressed_size);
    case CompressionCodec::kZstd:
      return DecompressZstd(compressed, uncompressed_size);
  }
  return UnsupportedParquet("compression codec " + std::to_string(static_cast<int>(codec)));
}

}  // namespace dataplane::parquet
