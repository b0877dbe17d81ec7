#include "parquet/random_access_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "parquet/reader_error.h"

namespace dataplane::parquet {
namespace {

core::Error IoError(const std::string& what, const std::string& path, int error_number) {
  return {core::ErrorKind::kInternal,
          "io_error",
          what + " " + path + ": " + std::strerror(error_number),
          {}};
}

bool RangeFits(std::uint64_t offset, std::size_t length, std::uint64_t size) {
  return offset <= size && length <= size - offset;
}

core::Error PastTheEnd(std::uint64_t offset, std::size_t length, std::uint64_t size) {
  return MalformedParquet("read of " + std::to_string(length) + " bytes at " +
                          std::to_string(offset) + " passes the end of the file (" +
                          std::to_string(size) + " bytes)");
}

}  // namespace

core::Result<std::unique_ptr<FileSource>> FileSource::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error_number = errno;
    if (error_number == ENOENT) {
      return core::Error{core::ErrorKind::kNotFound, "not_found", "no such file: " + path, {}};
    }
    return IoError("cannot open", path, error_number);
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    const int error_number = errno;
    ::close(fd);
    return IoError("cannot stat", path, error_number);
  }
  return std::make_unique<FileSource>(OpenKey{}, fd, static_cast<std::uint64_t>(info.st_size),
                                      path);
}

FileSource::FileSource(OpenKey, int fd, std::uint64_t size, std::string path)
    : fd_(fd), size_(size), path_(std::move(path)) {}

FileSource::~FileSource() { ::close(fd_); }

core::Result<std::uint64_t> FileSource::Size() { return size_; }

core::Status FileSource::ReadAt(std::uint64_t offset, std::size_t length, std::string& out) {
  if (!RangeFits(offset, length, size_)) return PastTheEnd(offset, length, size_);
  out.resize(length);
  std::size_t done = 0;
  while (done < length) {
    const ssize_t got =
        ::pread(fd_, out.data() + done, length - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return IoError("cannot read", path_, errno);
    if (got == 0) return MalformedParquet("the file " + path_ + " shrank while it was read");
    done += static_cast<std::size_t>(got);
  }
  return core::OkStatus();
}

core::Status StringSource::ReadAt(std::uint64_t offset, std::size_t length, std::string& out) {
  if (!RangeFits(offset, length, bytes_.size())) return PastTheEnd(offset, length, bytes_.size());
  out.assign(bytes_, static_cast<std::size_t>(offset), length);
  return core::OkStatus();
}

}  // namespace dataplane::parquet
