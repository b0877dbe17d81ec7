#include "archiver/s3_object_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "archiver/digest_stream.h"
#include "s3/source_upload.h"

namespace dataplane::archiver {
namespace {

// Reads the whole file in pieces of at most `piece` bytes, handing each to `take`.
template <typename Take>
core::Status ReadPieces(const std::string& path, std::size_t piece, Take take) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return FileError("cannot open", path, errno);
  std::string buffer(piece, '\0');
  core::Status status = core::OkStatus();
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status = FileError("cannot read", path, errno);
      break;
    }
    if (n == 0) break;
    take(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
  }
  ::close(fd);
  return status;
}

// The staging file's name: the key with its '/' made '_', so staged parts never collide.
std::string FlatName(const std::string& key) {
  std::string name = key;
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  return name;
}

}  // namespace

core::Result<std::string> ExpectedEtag(const std::string& path, std::uint64_t size,
                                       std::size_t part_size, std::size_t multipart_threshold) {
  DigestStream whole = DigestStream::Md5();
  DigestStream part = DigestStream::Md5();
  std::string part_digests;
  std::size_t in_part = 0;
  int parts = 0;
  core::Status read = ReadPieces(path, 1 << 20, [&](std::string_view bytes) {
    whole.Update(bytes);
    while (!bytes.empty()) {
      const std::size_t take = std::min(bytes.size(), part_size - in_part);
      part.Update(bytes.substr(0, take));
      in_part += take;
      bytes.remove_prefix(take);
      if (in_part == part_size) {
        part_digests += part.FinishRaw();
        ++parts;
        in_part = 0;
      }
    }
  });
  if (!read) return read.error();
  if (in_part > 0 || parts == 0) {
    part_digests += part.FinishRaw();
    ++parts;
  }
  // PutObjectFromSource: one PutObject when the body ended inside the first part's buffer.
  if (size < part_size && size <= multipart_threshold) return whole.FinishHex();
  DigestStream of_parts = DigestStream::Md5();
  of_parts.Update(part_digests);
  return of_parts.FinishHex() + "-" + std::to_string(parts);
}

S3ObjectStore::S3ObjectStore(std::unique_ptr<s3::S3Client> client, std::string staging_dir)
    : client_(std::move(client)), staging_dir_(std::move(staging_dir)) {}

core::Result<std::string> S3ObjectStore::StagingPath(const std::string& key) {
  return staging_dir_ + "/dataplane-staging-" + std::to_string(::getpid()) + "-" + FlatName(key);
}

core::Status S3ObjectStore::Put(const std::string& key, const StagedFileInfo& file) {
  const int fd = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return FileError("cannot open", file.path, errno);
  const s3::BodySource source = [&](char* buffer,
                                    std::size_t capacity) -> core::Result<std::size_t> {
    for (;;) {
      const ssize_t n = ::read(fd, buffer, capacity);
      if (n >= 0) return static_cast<std::size_t>(n);
      if (errno != EINTR) return FileError("cannot read", file.path, errno);
    }
  };
  auto etag = s3::PutObjectFromSource(*client_, key, source);
  ::close(fd);
  if (!etag) return etag.error();
  return core::OkStatus();
}

core::Status S3ObjectStore::Verify(const std::string& key, const StagedFileInfo& file) {
  auto expected = ExpectedEtag(file.path, file.bytes, client_->options().part_size,
                               client_->options().multipart_threshold);
  if (!expected) return expected.error();
  auto head = client_->HeadObject(key);
  if (!head) return head.error();
  const std::string where = "s3://" + client_->options().bucket + "/" + key;
  if (!head->has_value()) {
    return core::Error::Unavailable("verification of " + where + " failed: no such object");
  }
  if ((*head)->size != file.bytes || (*head)->etag != *expected) {
    return core::Error::Unavailable(
        "verification of " + where + " failed: " + std::to_string((*head)->size) + " bytes, ETag " +
        (*head)->etag + "; expected " + std::to_string(file.bytes) + " bytes, ETag " + *expected);
  }
  return core::OkStatus();
}

core::Result<std::vector<std::string>> S3ObjectStore::ListFolder(const std::string& folder) {
  auto listed = client_->ListAllObjects(folder);
  if (!listed) return listed.error();
  std::vector<std::string> keys;
  for (const s3::ListedObject& object : *listed) {
    if (object.key.find('/', folder.size()) == std::string::npos) keys.push_back(object.key);
  }
  return keys;
}

core::Status S3ObjectStore::Delete(const std::string& key) { return client_->DeleteObject(key); }

core::Status S3ObjectStore::Fetch(const std::string& key, const std::string& path) {
  auto file = StagedFile::Create(path);
  if (!file) return file.error();
  core::Status got =
      client_->GetObject(key, [&](std::string_view bytes) { return (*file)->Write(bytes); });
  if (got) {
    auto finished = (*file)->Finish();
    if (finished) return core::OkStatus();
    got = finished.error();
  }
  (*file)->Discard();
  return got;
}

}  // namespace dataplane::archiver
