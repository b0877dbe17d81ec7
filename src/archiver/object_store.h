#pragma once
// Where archived parts go: an S3 bucket (s3_object_store.h) or a local folder
// (local_object_store.h), behind one interface so that the archiver's steps are the same.
//
// Contract of every store:
//   - Put stores a staged file (staged_file.h: written, fsynced, hashed) under a key, replacing
//     whatever was there, and returns only once the object is durable in the store.
//   - Verify reads back what the store holds under the key (S3: HeadObject; a folder: the file's
//     bytes) and is OK only when its size and checksum are the staged file's. The archiver
//     removes rows from the hot tables only after Verify succeeded.
//   - ListFolder names the objects directly inside a folder (a key prefix ending in '/').
//   - Delete succeeds when the object is gone, also when it was never there.
//   - Fetch copies an object into a local file (restore).
// Failures are core::Error values: kUnavailable for what a later run may get past (the store is
// down, the disk is full), another kind for what needs an operator (a wrong key, a missing
// bucket). Not thread-safe: one archiver run uses a store at a time.
#include <string>
#include <vector>

#include "archiver/staged_file.h"
#include "core/error.h"

namespace dataplane::archiver {

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;

  //! "s3://bucket" or "file:///abs/dir": recorded with each manifest row.
  virtual std::string Location() const = 0;
  //! A path for staging the file that will be stored under `key` (in the target folder for a
  //! local store, so that Put is a rename). The caller creates and removes it.
  virtual core::Result<std::string> StagingPath(const std::string& key) = 0;
  virtual core::Status Put(const std::string& key, const StagedFileInfo& file) = 0;
  virtual core::Status Verify(const std::string& key, const StagedFileInfo& file) = 0;
  virtual core::Result<std::vector<std::string>> ListFolder(const std::string& folder) = 0;
  virtual core::Status Delete(const std::string& key) = 0;
  virtual core::Status Fetch(const std::string& key, const std::string& path) = 0;
};

}  // namespace dataplane::archiver
