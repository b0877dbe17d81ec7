#pragma once
// RandomAccessSource: the bytes of one file, read by offset, as the Parquet reader needs them
// (the footer first, then one column chunk at a time).
//
// ReadAt replaces `out` with exactly `length` bytes starting at `offset`; a range that passes
// the end of the source is an Error (kMalformed, code "malformed_parquet": the file is shorter
// than its metadata says), as is a file that shrinks while it is read. An I/O failure is
// kInternal (code "io_error"). The size of a source does not change while it is read.
//
// FileSource reads a local file with pread; Open returns kNotFound (code "not_found") when the
// path does not exist. StringSource holds its bytes in memory (tests, small objects). Neither is
// thread-safe for concurrent reads into the same `out`; distinct calls share no state beyond the
// file descriptor, which pread does not move.
#include <cstdint>
#include <memory>
#include <string>

#include "core/error.h"

namespace dataplane::parquet {

class RandomAccessSource {
 public:
  virtual ~RandomAccessSource() = default;
  //! The size of the source in bytes.
  virtual core::Result<std::uint64_t> Size() = 0;
  //! Exactly `length` bytes at `offset` into `out` (its old contents are dropped).
  virtual core::Status ReadAt(std::uint64_t offset, std::size_t length, std::string& out) = 0;
};

class FileSource final : public RandomAccessSource {
 public:
  //! Opens `path` for reading; the file stays open until the source is destroyed.
  static core::Result<std::unique_ptr<FileSource>> Open(const std::string& path);

 private:
  struct OpenKey {
    explicit OpenKey() = default;
  };

 public:
  //! For Open only (OpenKey is private): adopts `fd`.
  FileSource(OpenKey, int fd, std::uint64_t size, std::string path);
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  core::Result<std::uint64_t> Size() override;
  core::Status ReadAt(std::uint64_t offset, std::size_t length, std::string& out) override;

 private:
  int fd_;
  std::uint64_t size_;  // taken once at Open
  std::string path_;    // for error messages
};

class StringSource final : public RandomAccessSource {
 public:
  explicit StringSource(std::string bytes) : bytes_(std::move(bytes)) {}

  core::Result<std::uint64_t> Size() override { return bytes_.size(); }
  core::Status ReadAt(std::uint64_t offset, std::size_t length, std::string& out) override;

 private:
  std::string bytes_;
};

}  // namespace dataplane::parquet
