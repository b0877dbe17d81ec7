#pragma once
// The errors of the Parquet reader, so that every part of it reports bad input the same way:
// kMalformed with code "malformed_parquet" for bytes that are not a valid file (truncated,
// inconsistent, out of range), kInvalidInput with code "unsupported_parquet" for a valid file
// using a feature the reader leaves out (nested columns, DATA_PAGE_V2, another codec), and
// kTooLarge with code "parquet_too_large" for a file whose decoded form passes a reader limit.
// Messages start with "parquet: ".
#include <string>

#include "core/error.h"

namespace dataplane::parquet {

inline core::Error MalformedParquet(std::string message) {
  return core::Error::Malformed("malformed_parquet", "parquet: " + std::move(message));
}

inline core::Error UnsupportedParquet(std::string message) {
  return {
      core::ErrorKind::kInvalidInput, "unsupported_parquet", "parquet: " + std::move(message), {}};
}

inline core::Error ParquetTooLarge(std::string message) {
  return {core::ErrorKind::kTooLarge, "parquet_too_large", "parquet: " + std::move(message), {}};
}

}  // namespace dataplane::parquet
