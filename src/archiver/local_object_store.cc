#include "archiver/local_object_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

namespace dataplane::archiver {
namespace {

std::string ParentOf(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos || slash == 0 ? "/" : path.substr(0, slash);
}

core::Status FsyncPath(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return FileError("cannot open", path, errno);
  const int synced = ::fsync(fd);
  const int error_number = errno;
  ::close(fd);
  if (synced != 0) return FileError("cannot fsync", path, error_number);
  return core::OkStatus();
}

// mkdir -p, fsyncing the parent of each folder it creates so that the folder survives a crash.
core::Status MakeFolders(const std::string& folder) {
  struct stat st {};
  if (::stat(folder.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return core::OkStatus();
    return FileError("not a folder:", folder, ENOTDIR);
  }
  const std::string parent = ParentOf(folder);
  if (parent != folder) {
    if (core::Status made = MakeFolders(parent); !made) return made;
  }
  if (::mkdir(folder.c_str(), 0750) != 0 && errno != EEXIST) {
    return FileError("cannot create folder", folder, errno);
  }
  return FsyncPath(parent);
}

core::Status CopyFile(const std::string& from, const std::string& to) {
  std::error_code error;
  std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing, error);
  if (error) return FileError("cannot copy to", to, error.value());
  return core::OkStatus();
}

}  // namespace

core::Result<std::unique_ptr<LocalObjectStore>> LocalObjectStore::Open(std::string root) {
  std::error_code error;
  std::string absolute = std::filesystem::absolute(root, error).lexically_normal().string();
  if (error) return FileError("cannot resolve", root, error.value());
  while (absolute.size() > 1 && absolute.back() == '/') absolute.pop_back();
  if (core::Status made = MakeFolders(absolute); !made) return made.error();
  return std::unique_ptr<LocalObjectStore>(new LocalObjectStore(std::move(absolute)));
}

core::Result<std::string> LocalObjectStore::StagingPath(const std::string& key) {
  const std::string path = PathOf(key);
  const std::string folder = ParentOf(path);
  if (core::Status made = MakeFolders(folder); !made) return made.error();
  return folder + "/." + path.substr(folder.size() + 1) + ".staging";
}

core::Status LocalObjectStore::Put(const std::string& key, const StagedFileInfo& file) {
  const std::string path = PathOf(key);
  const std::string folder = ParentOf(path);
  if (core::Status made = MakeFolders(folder); !made) return made;
  std::string source = file.path;
  if (ParentOf(file.path) != folder) {
    // Staged elsewhere: copied next to the key first, so that the rename stays in one folder.
    source = folder + "/." + path.substr(folder.size() + 1) + ".staging";
    if (core::Status copied = CopyFile(file.path, source); !copied) return copied;
    if (core::Status synced = FsyncPath(source); !synced) return synced;
  }
  if (::rename(source.c_str(), path.c_str()) != 0) return FileError("cannot rename", path, errno);
  return FsyncPath(folder);
}

core::Status LocalObjectStore::Verify(const std::string& key, const StagedFileInfo& file) {
  auto stored = HashFile(PathOf(key));
  if (!stored) return stored.error();
  if (stored->bytes != file.bytes || stored->sha256_hex != file.sha256_hex) {
    return core::Error::Unavailable(
        "verification of " + PathOf(key) + " failed: " + std::to_string(stored->bytes) +
        " bytes, sha256 " + stored->sha256_hex + "; expected " + std::to_string(file.bytes) +
        " bytes, sha256 " + file.sha256_hex);
  }
  return core::OkStatus();
}

core::Result<std::vector<std::string>> LocalObjectStore::ListFolder(const std::string& folder) {
  std::vector<std::string> keys;
  const std::string path = PathOf(folder);
  DIR* dir = ::opendir(path.c_str());
  if (dir == nullptr) {
    if (errno == ENOENT) return keys;
    return FileError("cannot list", path, errno);
  }
  while (const dirent* entry = ::readdir(dir)) {
    const std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    struct stat st {};
    if (::stat((path + name).c_str(), &st) == 0 && S_ISREG(st.st_mode))
      keys.push_back(folder + name);
  }
  ::closedir(dir);
  return keys;
}

core::Status LocalObjectStore::Delete(const std::string& key) {
  const std::string path = PathOf(key);
  if (::unlink(path.c_str()) != 0) {
    return errno == ENOENT ? core::OkStatus() : FileError("cannot delete", path, errno);
  }
  return FsyncPath(ParentOf(path));
}

core::Status LocalObjectStore::Fetch(const std::string& key, const std::string& path) {
  return CopyFile(PathOf(key), path);
}

}  // namespace dataplane::archiver
