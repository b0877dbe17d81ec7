#include "pg/cluster_owner.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <optional>
#include <thread>

namespace dataplane::pg {
namespace {

namespace fs = std::filesystem;
using core::Error;
using core::ErrorKind;

constexpr std::chrono::seconds kLockTimeout{60};

struct UserIds {
  uid_t uid;
  gid_t gid;
};

std::optional<UserIds> LookUp(const std::string& name) {
  passwd pw{};
  passwd* found = nullptr;
  std::vector<char> buf(16384);
  getpwnam_r(name.c_str(), &pw, buf.data(), buf.size(), &found);
  if (!found) return std::nullopt;
  return UserIds{pw.pw_uid, pw.pw_gid};
}

// An exclusive flock on kOsUserLockFile (or its /tmp fallback where /run/lock is missing),
// released when the object goes.
class UserCreationLock {
 public:
  static core::Result<std::unique_ptr<UserCreationLock>> Acquire() {
    std::string path = kOsUserLockFile;
    if (access("/run/lock", W_OK) != 0) path = "/tmp/dataplane-os-user.lock";
    int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return OsError("open " + path);
    auto lock = std::unique_ptr<UserCreationLock>(new UserCreationLock(fd));
    auto deadline = std::chrono::steady_clock::now() + kLockTimeout;
    while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK && errno != EINTR) return OsError("flock " + path);
      if (std::chrono::steady_clock::now() > deadline)
        return Error{ErrorKind::kUnavailable,
                     "pg_cluster_lock_timeout",
                     "another process has held " + path + " for over a minute",
                     {}};
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return lock;
  }
  ~UserCreationLock() { close(fd_); }
  UserCreationLock(const UserCreationLock&) = delete;
  UserCreationLock& operator=(const UserCreationLock&) = delete;

 private:
  explicit UserCreationLock(int fd) : fd_(fd) {}
  int fd_;
};

core::Status CreateUser(const std::string& os_user) {
  auto lock = UserCreationLock::Acquire();
  if (!lock.ok()) return lock.error();
  if (LookUp(os_user)) return core::OkStatus();  // created by another process meanwhile
  std::string useradd = FindProgram("useradd");
  if (useradd.empty())
    return Error{ErrorKind::kUnavailable,
                 "pg_cluster_no_useradd",
                 "useradd not found: cannot create OS user " + os_user,
                 {}};
  auto r = RunCommand(
      {useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", os_user}, "/");
  if (!r.ok()) return r.error();
  if (r->exit_code != 0 && !LookUp(os_user))
    return Error{ErrorKind::kInternal,
                 "pg_cluster_no_os_user",
                 "cannot create OS user " + os_user + ": " + r->output,
                 {}};
  return core::OkStatus();
}

}  // namespace

core::Result<ClusterOwner> ResolveClusterOwner(const std::string& os_user) {
  if (geteuid() != 0) return ClusterOwner{};
  std::string runuser = FindProgram("runuser");
  if (runuser.empty())
    return Error{ErrorKind::kUnavailable, "pg_cluster_no_runuser", "runuser not found", {}};
  if (!LookUp(os_user)) {
    if (core::Status s = CreateUser(os_user); !s.ok()) return s.error();
  }
  std::optional<UserIds> ids = LookUp(os_user);
  if (!ids)
    return Error{ErrorKind::kInternal,
                 "pg_cluster_no_os_user",
                 "OS user " + os_user + " vanished after creation",
                 {}};
  return ClusterOwner{{runuser, "-u", os_user, "--"}, ids->uid, ids->gid};
}

core::Status HandDirectoryTo(const fs::path& dir, const ClusterOwner& owner) {
  if (!owner.other_user()) return core::OkStatus();
  for (fs::path p = dir.parent_path(); !p.empty(); p = p.parent_path()) {
    struct stat st {};
    if (stat(p.c_str(), &st) == 0 && !(st.st_mode & S_IXOTH) &&
        chmod(p.c_str(), (st.st_mode & 07777) | S_IXOTH) != 0)
      return OsError("chmod o+x " + p.string());
    if (p == p.root_path()) break;
  }
  struct stat top {};
  struct stat data {};
  bool data_exists = stat((dir / "data").c_str(), &data) == 0;
  if (stat(dir.c_str(), &top) == 0 && top.st_uid == owner.uid &&
      (!data_exists || data.st_uid == owner.uid))
    return core::OkStatus();
  auto r = RunCommand({FindProgram("chown"), "-R",
                       std::to_string(owner.uid) + ":" + std::to_string(owner.gid), dir.string()},
                      "/");
  if (!r.ok()) return r.error();
  if (r->exit_code != 0)
    return Error{ErrorKind::kInternal, "pg_cluster_os_error", "chown -R failed: " + r->output, {}};
  return core::OkStatus();
}

core::Result<CommandResult> RunAsOwner(const ClusterOwner& owner,
                                       const std::vector<std::string>& args,
                                       const std::string& cwd) {
  std::vector<std::string> argv = owner.prefix;
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, cwd);
}

}  // namespace dataplane::pg
