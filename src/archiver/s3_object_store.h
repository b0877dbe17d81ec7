#pragma once
// The S3 store: keys in one bucket through s3::S3Client (SigV4, retries with backoff on 5xx and
// timeouts). Put streams the staged file up (one PutObject with Content-MD5, or a multipart
// upload of part_size parts, aborted on failure: s3/source_upload.h). Verify asks HeadObject
// and compares the size and the ETag with the ETag computed from the staged file's bytes: the
// MD5 of the body for a single PutObject, MD5(MD5(part 1) … MD5(part n)) + "-n" for a multipart
// upload — so the bucket is known to hold exactly these bytes. Staging files go to a local
// folder (ARCHIVE_STAGING_DIR, default the system's temporary folder).
#include <memory>
#include <string>

#include "archiver/object_store.h"
#include "s3/s3_client.h"

namespace dataplane::archiver {

class S3ObjectStore : public ObjectStore {
 public:
  S3ObjectStore(std::unique_ptr<s3::S3Client> client, std::string staging_dir);

  std::string Location() const override { return "s3://" + client_->options().bucket; }
  core::Result<std::string> StagingPath(const std::string& key) override;
  core::Status Put(const std::string& key, const StagedFileInfo& file) override;
  core::Status Verify(const std::string& key, const StagedFileInfo& file) override;
  core::Result<std::vector<std::string>> ListFolder(const std::string& folder) override;
  core::Status Delete(const std::string& key) override;
  core::Status Fetch(const std::string& key, const std::string& path) override;

 private:
  std::unique_ptr<s3::S3Client> client_;
  std::string staging_dir_;
};

//! The ETag S3 gives the file at `path` when PutObjectFromSource uploads it with these sizes.
core::Result<std::string> ExpectedEtag(const std::string& path, std::uint64_t size,
                                       std::size_t part_size, std::size_t multipart_threshold);

}  // namespace dataplane::archiver
