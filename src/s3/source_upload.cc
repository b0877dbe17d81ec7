#include "s3/source_upload.h"

#include <algorithm>
#include <vector>

namespace dataplane::s3 {
namespace {

constexpr int kMaxParts = 10000;  // S3's limit

// Fills `buffer` from `source` until it is full or the body ends; returns the bytes held.
core::Result<std::size_t> Fill(const BodySource& source, std::string& buffer, bool& ended) {
  std::size_t held = 0;
  while (held < buffer.size()) {
    auto got = source(buffer.data() + held, buffer.size() - held);
    if (!got) return got.error();
    if (*got == 0) {
      ended = true;
      break;
    }
    held += std::min(*got, buffer.size() - held);
  }
  return held;
}

// Uploads parts until the source ends, the first one already in `buffer`.
core::Result<std::vector<CompletedPart>> UploadParts(S3Client& client, std::string_view key,
                                                     std::string_view upload_id,
                                                     const BodySource& source, std::string& buffer,
                                                     std::size_t held, bool ended) {
  std::vector<CompletedPart> parts;
  while (held > 0 || parts.empty()) {
    const int number = static_cast<int>(parts.size()) + 1;
    if (number > kMaxParts) {
      return core::Error::Invalid("s3_too_many_parts", "part_size",
                                  "S3 upload of " + std::string(key) + ": more than 10000 parts " +
                                      "of " + std::to_string(buffer.size()) + " bytes");
    }
    auto etag = client.UploadPart(key, upload_id, number, std::string_view(buffer).substr(0, held));
    if (!etag) return etag.error();
    parts.push_back({number, std::move(*etag)});
    if (ended) break;
    auto next = Fill(source, buffer, ended);
    if (!next) return next.error();
    held = *next;
  }
  return parts;
}

core::Result<std::string> Multipart(S3Client& client, std::string_view key,
                                    const BodySource& source, std::string& buffer, std::size_t held,
                                    bool ended) {
  auto upload_id = client.CreateMultipartUpload(key);
  if (!upload_id) return upload_id.error();
  auto parts = UploadParts(client, key, *upload_id, source, buffer, held, ended);
  core::Result<std::string> etag = parts ? client.CompleteMultipartUpload(key, *upload_id, *parts)
                                         : core::Result<std::string>(parts.error());
  if (etag) return etag;
  core::Error error = etag.error();
  const core::Status aborted = client.AbortMultipartUpload(key, *upload_id);
  if (!aborted) error.message += "; aborting the upload failed too: " + aborted.error().message;
  return error;
}

}  // namespace

core::Result<std::string> PutObjectFromSource(S3Client& client, std::string_view key,
                                              const BodySource& source) {
  std::string buffer(client.options().part_size, '\0');
  bool ended = false;
  auto held = Fill(source, buffer, ended);
  if (!held) return held.error();
  if (ended && *held <= client.options().multipart_threshold) {
    return client.PutObject(key, std::string_view(buffer).substr(0, *held));
  }
  return Multipart(client, key, source, buffer, *held, ended);
}

}  // namespace dataplane::s3
