#pragma once
// Uploading a body that is produced piece by piece (a Parquet file being read from disk) with
// memory bounded by one part.
//
// PutObjectFromSource reads the body from `source` into a buffer of options.part_size bytes. A
// body that ends within that first buffer and is at most options.multipart_threshold bytes
// goes up in one PutObject; any other as a multipart upload of part_size parts (the last one
// shorter), each with its Content-MD5. On any failure after the upload was created — the
// source's Error, a part refused, the completion refused (s3_entity_too_small when parts are
// under 5 MiB) — the upload is aborted so S3 keeps no orphaned parts, and the first Error is
// returned (with a note when the abort failed too). Blocks like every S3Client call; the
// client must not be used by another thread meanwhile.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "s3/s3_client.h"

namespace dataplane::s3 {

// Writes up to `capacity` bytes of the body into `buffer`; returns how many, 0 at the end.
using BodySource = std::function<core::Result<std::size_t>(char* buffer, std::size_t capacity)>;

//! Stores the body `source` yields under `key`; returns the object's ETag.
core::Result<std::string> PutObjectFromSource(S3Client& client, std::string_view key,
                                              const BodySource& source);

}  // namespace dataplane::s3
