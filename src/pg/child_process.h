#pragma once
// Running a helper program (initdb, pg_ctl, useradd, chown) from the embedded cluster code.
//
// Contract:
// - RunCommand() runs argv[0], an absolute path, without a shell, stdin from /dev/null, stdout
//   and stderr captured together (the last 64 KiB), in its own process group. After `timeout`
//   the whole group is killed and a kUnavailable error returned, so no call hangs.
// - A program that ran and exited non-zero is not an error: the caller reads exit_code.
//   OS failures (fork, pipe) are kInternal errors.
// - Safe to call from several threads at once (each call owns its pipe and child).
#include <chrono>
#include <string>
#include <vector>

#include "core/error.h"

namespace dataplane::pg {

struct CommandResult {
  int exit_code = -1;  // 128 + signal when killed
  std::string output;  // stdout and stderr interleaved, the last 64 KiB
};

//! Runs argv (argv[0] an absolute path) in `cwd` (empty: inherited) with a deadline.
core::Result<CommandResult> RunCommand(const std::vector<std::string>& argv, const std::string& cwd,
                                       std::chrono::seconds timeout = std::chrono::seconds(90));

//! The absolute path of `name` on PATH or in the sbin directories; empty when not found.
std::string FindProgram(const std::string& name);

//! errno after a failed OS call as an Error: kInternal, code "pg_cluster_os_error",
//! "<what>: <strerror>". The cluster code's one errno-to-Error conversion.
core::Error OsError(const std::string& what);

}  // namespace dataplane::pg
