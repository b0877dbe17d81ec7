#pragma once
// A local file being written, as a parquet::Sink: bytes are appended and hashed (SHA-256) as
// they come, and Finish() makes them durable (fsync) before the file is uploaded or renamed into
// place. A failure to write (a full disk: ENOSPC) is a kUnavailable Error naming the file; the
// caller deletes the file (Discard) and the run is retried later. Not thread-safe.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "archiver/digest_stream.h"
#include "core/error.h"
#include "parquet/file_writer.h"

namespace dataplane::archiver {

struct StagedFileInfo {
  std::string path;
  std::uint64_t bytes = 0;
  std::string sha256_hex;
};

class StagedFile : public parquet::Sink {
 public:
  //! Creates (or truncates) `path`, mode 0640.
  static core::Result<std::unique_ptr<StagedFile>> Create(std::string path);
  ~StagedFile() override;  // closes; does not delete
  StagedFile(const StagedFile&) = delete;
  StagedFile& operator=(const StagedFile&) = delete;

  core::Status Write(std::string_view bytes) override;
  //! fsyncs and closes the file; its size and SHA-256.
  core::Result<StagedFileInfo> Finish();
  //! Closes and deletes the file (after a failure, or once it is uploaded).
  void Discard();

  const std::string& path() const { return path_; }

 private:
  StagedFile(std::string path, int fd);

  std::string path_;
  int fd_;
  std::uint64_t bytes_ = 0;
  DigestStream sha256_ = DigestStream::Sha256();
};

//! The SHA-256 (hex) and size of a whole file, read back from disk (verification).
core::Result<StagedFileInfo> HashFile(const std::string& path);

//! The error for a failed system call on `path` (errno), kUnavailable: "<what> <path>: <why>".
core::Error FileError(std::string_view what, const std::string& path, int error_number);

}  // namespace dataplane::archiver
