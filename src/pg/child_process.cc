#include "pg/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace dataplane::pg {
namespace {

constexpr size_t kMaxCapturedOutput = 64 * 1024;

}  // namespace

core::Error OsError(const std::string& what) {
  return {
      core::ErrorKind::kInternal, "pg_cluster_os_error", what + ": " + std::strerror(errno), {}};
}

core::Result<CommandResult> RunCommand(const std::vector<std::string>& argv, const std::string& cwd,
                                       std::chrono::seconds timeout) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return OsError("pipe");
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return OsError("fork");
  }
  if (pid == 0) {  // only async-signal-safe calls until exec
    setpgid(0, 0);
    int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null_fd >= 0) dup2(null_fd, STDIN_FILENO);
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(126);
    execv(args[0], args.data());
    _exit(127);
  }
  close(fds[1]);
  fcntl(fds[0], F_SETFL, O_NONBLOCK);
  CommandResult result;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool eof = false;
  int status = 0;
  auto drain = [&] {
    char buf[4096];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) result.output.append(buf, n);
    if (n == 0) eof = true;
    if (result.output.size() > kMaxCapturedOutput)
      result.output.erase(0, result.output.size() - kMaxCapturedOutput);
  };
  while (true) {
    pollfd p{fds[0], POLLIN, 0};
    poll(eof ? nullptr : &p, eof ? 0 : 1, eof ? 10 : 100);
    if (!eof) drain();
    pid_t w = waitpid(pid, &status, WNOHANG);
    if (w == pid) break;
    if (w < 0 && errno != EINTR) {
      close(fds[0]);
      return OsError("waitpid " + argv[0]);
    }
    if (std::chrono::steady_clock::now() > deadline) {
      kill(-pid, SIGKILL);
      waitpid(pid, &status, 0);
      drain();
      close(fds[0]);
      return core::Error{core::ErrorKind::kUnavailable,
                         "pg_cluster_timeout",
                         argv[0] + " timed out; output: " + result.output,
                         {}};
    }
  }
  drain();  // whatever the child wrote before exiting; never waits for grandchildren
  close(fds[0]);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

std::string FindProgram(const std::string& name) {
  std::string path = getenv("PATH") ? getenv("PATH") : "";
  path += ":/usr/local/sbin:/usr/sbin:/sbin:/usr/bin:/bin";
  std::stringstream dirs(path);
  for (std::string d; std::getline(dirs, d, ':');) {
    if (!d.empty() && access((d + "/" + name).c_str(), X_OK) == 0) return d + "/" + name;
  }
  return {};
}

}  // namespace dataplane::pg
