#include "archiver/staged_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace dataplane::archiver {

core::Error FileError(std::string_view what, const std::string& path, int error_number) {
  return core::Error::Unavailable(std::string(what) + " " + path + ": " +
                                  std::strerror(error_number));
}

core::Result<std::unique_ptr<StagedFile>> StagedFile::Create(std::string path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return FileError("cannot create", path, errno);
  return std::unique_ptr<StagedFile>(new StagedFile(std::move(path), fd));
}

StagedFile::StagedFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}

StagedFile::~StagedFile() {
  if (fd_ >= 0) ::close(fd_);
}

core::Status StagedFile::Write(std::string_view bytes) {
  if (fd_ < 0) return FileError("cannot write", path_, EBADF);
  sha256_.Update(bytes);
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return FileError("cannot write", path_, errno);
    bytes.remove_prefix(static_cast<std::size_t>(n));
    bytes_ += static_cast<std::uint64_t>(n);
  }
  return core::OkStatus();
}

core::Result<StagedFileInfo> StagedFile::Finish() {
  if (fd_ < 0) return FileError("cannot finish", path_, EBADF);
  const int fd = fd_;
  fd_ = -1;
  if (::fsync(fd) != 0) {
    const int error_number = errno;
    ::close(fd);
    return FileError("cannot fsync", path_, error_number);
  }
  if (::close(fd) != 0) return FileError("cannot close", path_, errno);
  return StagedFileInfo{path_, bytes_, sha256_.FinishHex()};
}

void StagedFile::Discard() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  ::unlink(path_.c_str());
}

core::Result<StagedFileInfo> HashFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return FileError("cannot open", path, errno);
  DigestStream hash = DigestStream::Sha256();
  std::vector<char> buffer(1 << 20);
  std::uint64_t bytes = 0;
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error_number = errno;
      ::close(fd);
      return FileError("cannot read", path, error_number);
    }
    if (n == 0) break;
    hash.Update({buffer.data(), static_cast<std::size_t>(n)});
    bytes += static_cast<std::uint64_t>(n);
  }
  ::close(fd);
  return StagedFileInfo{path, bytes, hash.FinishHex()};
}

}  // namespace dataplane::archiver
