#pragma once
// The local-folder store (ARCHIVE_DIR, the embedded default): the key is a path under the root.
// Put is crash-safe: the staged file sits in the object's folder under a hidden name
// (".part-NNNN.parquet.staging"), is fsynced, renamed onto the key's name, and the folder is
// fsynced, so after a crash the key holds either the old object, or the whole new one. Folders
// are created as needed (and their parents fsynced). Hidden names are listed like any object,
// so the archiver's orphan sweep removes a staging file left by a crash.
#include <string>

#include "archiver/object_store.h"

namespace dataplane::archiver {

class LocalObjectStore : public ObjectStore {
 public:
  //! `root` must be an absolute path or is made one; it is created when missing.
  static core::Result<std::unique_ptr<LocalObjectStore>> Open(std::string root);

  std::string Location() const override { return "file://" + root_; }
  core::Result<std::string> StagingPath(const std::string& key) override;
  core::Status Put(const std::string& key, const StagedFileInfo& file) override;
  core::Status Verify(const std::string& key, const StagedFileInfo& file) override;
  core::Result<std::vector<std::string>> ListFolder(const std::string& folder) override;
  core::Status Delete(const std::string& key) override;
  core::Status Fetch(const std::string& key, const std::string& path) override;

  const std::string& root() const { return root_; }

 private:
  explicit LocalObjectStore(std::string root) : root_(std::move(root)) {}
  std::string PathOf(const std::string& key) const { return root_ + "/" + key; }

  std::string root_;
};

}  // namespace dataplane::archiver
