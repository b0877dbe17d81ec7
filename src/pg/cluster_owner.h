#pragma once
// The OS user a private PostgreSQL cluster runs as. PostgreSQL refuses to run as root, so when
// this process is root the server binaries run as `os_user` through runuser, and the cluster
// directory belongs to that user.
//
// Contract:
// - ResolveClusterOwner() returns "run directly" when not root. As root it looks the user up
//   and creates it (useradd --system) when missing. Creation is race-free between processes and
//   threads: creators serialize on an exclusive lock on kOsUserLockFile (the same file
//   scripts/pg locks) and look the user up again once they hold it, so exactly one useradd runs.
//   (Two unserialized useradd calls both pass their "name in use" check, and the second rewrites
//   the first's passwd entry with another uid, under the feet of whoever read the first.)
// - HandDirectoryTo() makes every ancestor of `dir` traversable (o+x) and gives `dir` (and its
//   data/ subtree) to the owner when they belong to someone else.
// - Errors are core::Status values: kUnavailable when a tool is missing or the lock cannot be
//   had within a minute, kInternal for OS failures.
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "pg/child_process.h"

namespace dataplane::pg {

//! Where user creators serialize (shared with scripts/pg).
inline constexpr const char* kOsUserLockFile = "/run/lock/dataplane-os-user.lock";

struct ClusterOwner {
  std::vector<std::string> prefix;  // runuser -u <user> -- (empty: run directly)
  uid_t uid = 0;
  gid_t gid = 0;
  //! True when binaries run as another user than this process (through runuser).
  bool other_user() const { return !prefix.empty(); }
};

//! How server binaries run; creates `os_user` when root and it is missing.
core::Result<ClusterOwner> ResolveClusterOwner(const std::string& os_user);

//! Makes `dir` usable by the owner (see the contract above); a no-op when not root.
core::Status HandDirectoryTo(const std::filesystem::path& dir, const ClusterOwner& owner);

//! Runs a server binary as the owner.
core::Result<CommandResult> RunAsOwner(const ClusterOwner& owner,
                                       const std::vector<std::string>& args,
                                       const std::string& cwd);

}  // namespace dataplane::pg
