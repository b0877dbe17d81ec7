#include "pg/embedded_cluster.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <locale.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace dataplane::pg {
namespace {

namespace fs = std::filesystem;
using core::Error;
using core::ErrorKind;
using core::OkStatus;
using core::Result;
using core::Status;

constexpr std::chrono::seconds kCommandTimeout{90};  // backstop; pg_ctl itself uses -t 60
constexpr size_t kMaxCapturedOutput = 64 * 1024;
constexpr int kLogTailLines = 20;

Error Fail(ErrorKind kind, std::string code, std::string message) {
  return Error{kind, std::move(code), std::move(message), {}};
}
Error Errno(const std::string& what) {
  return Fail(ErrorKind::kInternal, "pg_cluster_os_error", what + ": " + std::strerror(errno));
}

struct CommandResult {
  int exit_code = -1;  // 128 + signal when killed
  std::string output;  // stdout and stderr interleaved, the last kMaxCapturedOutput bytes
};

// Runs argv[0] (an absolute path) without a shell, stdin from /dev/null, in its own process
// group so a timeout kills everything it spawned (except a daemon that left the group).
Result<CommandResult> RunCommand(const std::vector<std::string>& argv, const std::string& cwd) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return Errno("pipe");
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return Errno("fork");
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
  auto deadline = std::chrono::steady_clock::now() + kCommandTimeout;
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
      return Errno("waitpid " + argv[0]);
    }
    if (std::chrono::steady_clock::now() > deadline) {
      kill(-pid, SIGKILL);
      waitpid(pid, &status, 0);
      drain();
      close(fds[0]);
      return Fail(ErrorKind::kUnavailable, "pg_cluster_timeout",
                  argv[0] + " timed out; output: " + result.output);
    }
  }
  drain();  // whatever the child wrote before exiting; never waits for grandchildren
  close(fds[0]);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

// Resolves a program name against PATH plus the sbin directories (root tools live there).
std::string FindProgram(const std::string& name) {
  std::string path = getenv("PATH") ? getenv("PATH") : "";
  path += ":/usr/local/sbin:/usr/sbin:/sbin:/usr/bin:/bin";
  std::stringstream dirs(path);
  for (std::string d; std::getline(dirs, d, ':');) {
    if (!d.empty() && access((d + "/" + name).c_str(), X_OK) == 0) return d + "/" + name;
  }
  return {};
}

std::string FindBinDirUncached() {
  if (std::string pg_config = FindProgram("pg_config"); !pg_config.empty()) {
    auto r = RunCommand({pg_config, "--bindir"}, {});
    if (r.ok() && r->exit_code == 0) {
      std::string dir = r->output.substr(0, r->output.find_first_of("\r\n"));
      if (access((dir + "/pg_ctl").c_str(), X_OK) == 0) return dir;
    }
  }
  std::string best;
  int best_version = -1;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    std::string bin = entry.path().string() + "/bin";
    int version = std::atoi(entry.path().filename().c_str());
    if (version > best_version && access((bin + "/pg_ctl").c_str(), X_OK) == 0) {
      best = bin;
      best_version = version;
    }
  }
  return best;
}

const std::string& BinDir() {
  static const std::string dir = FindBinDirUncached();
  return dir;
}

// How server binaries are run: directly, or as os_user through runuser when we are root.
struct RunAs {
  std::vector<std::string> prefix;
  uid_t uid = 0;
  gid_t gid = 0;
  bool other_user = false;
};

Result<RunAs> ResolveRunAs(const std::string& os_user) {
  if (geteuid() != 0) return RunAs{};
  std::string runuser = FindProgram("runuser");
  if (runuser.empty())
    return Fail(ErrorKind::kUnavailable, "pg_cluster_no_runuser", "runuser not found");
  for (int attempt = 0;; ++attempt) {
    passwd pw{};
    passwd* found = nullptr;
    std::vector<char> buf(16384);
    getpwnam_r(os_user.c_str(), &pw, buf.data(), buf.size(), &found);
    if (found) return RunAs{{runuser, "-u", os_user, "--"}, pw.pw_uid, pw.pw_gid, true};
    if (attempt == 5)
      return Fail(ErrorKind::kInternal, "pg_cluster_no_os_user", "cannot create user " + os_user);
    // Concurrent creators race on /etc/passwd: "already exists" and "cannot lock" are retried
    // by looking the user up again.
    auto r = RunCommand({FindProgram("useradd"), "--system", "--no-create-home", "--shell",
                         "/usr/sbin/nologin", os_user},
                        "/");
    if (!r.ok()) return r.error();
    if (r->exit_code != 0 && r->exit_code != 9)
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

Result<CommandResult> RunAsUser(const RunAs& run_as, const std::vector<std::string>& args,
                                const std::string& cwd) {
  std::vector<std::string> argv = run_as.prefix;
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, cwd);
}

// Gives the cluster dir to the server's user and lets that user reach it from /.
Status PrepareOwnership(const fs::path& dir, const RunAs& run_as) {
  if (!run_as.other_user) return OkStatus();
  for (fs::path p = dir.parent_path(); !p.empty(); p = p.parent_path()) {
    struct stat st {};
    if (stat(p.c_str(), &st) == 0 && !(st.st_mode & S_IXOTH) &&
        chmod(p.c_str(), (st.st_mode & 07777) | S_IXOTH) != 0)
      return Errno("chmod o+x " + p.string());
    if (p == p.root_path()) break;
  }
  struct stat top {};
  struct stat data {};
  bool data_exists = stat((dir / "data").c_str(), &data) == 0;
  if (stat(dir.c_str(), &top) == 0 && top.st_uid == run_as.uid &&
      (!data_exists || data.st_uid == run_as.uid))
    return OkStatus();
  auto r = RunCommand({FindProgram("chown"), "-R",
                       std::to_string(run_as.uid) + ":" + std::to_string(run_as.gid), dir.string()},
                      "/");
  if (r.ok() && r->exit_code != 0)
    return Fail(ErrorKind::kInternal, "pg_cluster_os_error", "chown -R failed: " + r->output);
  return r.ok() ? OkStatus() : Status(r.error());
}

Result<int> PickFreePort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Errno("socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int rc = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  if (rc == 0) rc = getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  Error err = Errno("bind 127.0.0.1:0");
  close(fd);
  if (rc != 0) return err;
  return static_cast<int>(ntohs(addr.sin_port));
}

int ReadIntFile(const fs::path& path, int line_no = 1) {
  std::ifstream in(path);
  std::string line;
  for (int i = 0; i < line_no && std::getline(in, line); ++i) {
  }
  return in ? std::atoi(line.c_str()) : 0;
}

Status WriteFile(const fs::path& path, const std::string& text, const RunAs& run_as) {
  fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
    if (!out.flush()) return Errno("write " + tmp.string());
  }
  if (run_as.other_user && chown(tmp.c_str(), run_as.uid, run_as.gid) != 0)
    return Errno("chown " + tmp.string());
  if (rename(tmp.c_str(), path.c_str()) != 0) return Errno("rename " + tmp.string());
  return OkStatus();
}

std::string LogTail(const fs::path& log) {
  std::ifstream in(log, std::ios::binary);
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  in.seekg(std::max<std::streamoff>(0, size - 16384));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(std::move(line));
  std::string tail;
  size_t first = lines.size() > kLogTailLines ? lines.size() - kLogTailLines : 0;
  for (size_t i = first; i < lines.size(); ++i) tail += "\n  " + lines[i];
  return tail.empty() ? " (log empty)" : tail;
}

enum PostmasterState { kAbsent, kDead, kReused, kLive };

// What `pg_ctl status` checks, plus: a zombie is dead, and a pid that now names a non-PostgreSQL
// process (reused after a killed run, common in containers) is kReused.
PostmasterState ProbePostmaster(const fs::path& data) {
  int pid = ReadIntFile(data / "postmaster.pid");
  if (pid <= 0) return kAbsent;
  if (pid == getpid() || (kill(pid, 0) != 0 && errno != EPERM)) return kDead;
  std::ifstream proc("/proc/" + std::to_string(pid) + "/stat");  // "pid (comm) state ..."
  std::string stat;
  if (!std::getline(proc, stat)) return kLive;  // no procfs: trust kill()
  size_t open = stat.find('('), close = stat.rfind(')');
  if (open == std::string::npos || close == std::string::npos) return kLive;
  if (close + 2 < stat.size() && stat[close + 2] == 'Z') return kDead;  // killed, not reaped
  return stat.compare(open + 1, 4, "post") == 0 ? kLive : kReused;
}

// A string literal for postgresql.conf: backslashes and quotes are escaped.
std::string ConfQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += c;
    out += c;
  }
  return out + "'";
}

std::string ServerSettings(const ClusterOptions& o, int port) {
  std::string conf = "# Written by dataplane on every start; edit EmbeddedCluster or scripts/pg.\n";
  conf += "listen_addresses = '127.0.0.1'\nport = " + std::to_string(port) + "\n";
  conf += "unix_socket_directories = " + ConfQuote(o.dir + "/run") + "\n";
  conf += "max_connections = 200\ntimezone = 'UTC'\nlog_timezone = 'UTC'\n";
  conf += o.throwaway ? "shared_buffers = 128MB\n" : "shared_buffers = 256MB\n";
  conf += "logging_collector = off\nlog_destination = 'stderr'\n";  // pg_ctl -l postgres.log
  // synchronous_commit stays on: tests must see the same commit semantics as production.
  if (o.throwaway) conf += "fsync = off\nfull_page_writes = off\n";
  return conf;
}

std::string PercentEncode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || (c && std::strchr("-_.~", c)))
      out += static_cast<char>(c);
    else
      out += {'%', "0123456789ABCDEF"[c >> 4], "0123456789ABCDEF"[c & 15]};
  }
  return out;
}

using PgConn = std::unique_ptr<PGconn, decltype(&PQfinish)>;
using PgResult = std::unique_ptr<PGresult, decltype(&PQclear)>;

Result<PgConn> Connect(const std::string& url) {
  PgConn conn(PQconnectdb((url + "?connect_timeout=5").c_str()), &PQfinish);
  if (!conn || PQstatus(conn.get()) != CONNECTION_OK)
    return Fail(ErrorKind::kUnavailable, "pg_cluster_connect_failed",
                "cannot connect to " + url + ": " + (conn ? PQerrorMessage(conn.get()) : "oom"));
  return conn;
}

}  // namespace

EmbeddedCluster::EmbeddedCluster(ClusterOptions options) : options_(std::move(options)) {
  if (!options_.dir.empty()) {
    std::error_code ec;
    fs::path abs = fs::absolute(options_.dir, ec).lexically_normal();
    if (!ec) options_.dir = abs.string();
    while (options_.dir.size() > 1 && options_.dir.back() == '/') options_.dir.pop_back();
  }
  port_ = options_.port;
}

EmbeddedCluster::~EmbeddedCluster() {
  if (started_here_) (void)Stop();
}

std::string EmbeddedCluster::Url() const {
  return std::string("postgresql://") + kSuperuser + "@127.0.0.1:" + std::to_string(port_) + "/" +
         PercentEncode(options_.database);
}

bool EmbeddedCluster::IsRunning() const {
  return !options_.dir.empty() && ProbePostmaster(fs::path(options_.dir) / "data") == kLive;
}

Status EmbeddedCluster::Start() {
  const ClusterOptions& o = options_;
  if (o.dir.empty()) return Error::Invalid("required", "dir", "cluster dir is empty");
  if (o.database.empty()) return Error::Invalid("required", "database", "database is empty");
  if (o.port < 0 || o.port > 65535)
    return Error::Invalid("out_of_range", "port", "port must be 0..65535");
  if ((o.dir + "/run/.s.PGSQL.65535").size() >= sizeof(sockaddr_un{}.sun_path))
    return Error::Invalid("too_long", "dir", "socket path under " + o.dir + " exceeds 107 bytes");
  if (IsRunning()) {  // adopt a server started by someone else (scripts/pg, an earlier run)
    port_ = ReadIntFile(fs::path(o.dir) / "data" / "postmaster.pid", 4);
  } else if (Status s = StartServer(); !s.ok()) {
    return s;
  }
  if (Status s = EnsureDatabase(); !s.ok()) return s;
  auto conn = Connect(Url());
  if (!conn.ok()) return conn.error();
  PgResult res(PQexec(conn->get(), "SELECT 1"), &PQclear);
  if (PQresultStatus(res.get()) != PGRES_TUPLES_OK)
    return Fail(ErrorKind::kUnavailable, "pg_cluster_unhealthy",
                "SELECT 1 failed on " + Url() + ": " + PQerrorMessage(conn->get()));
  return OkStatus();
}

Status EmbeddedCluster::StartServer() {
  const ClusterOptions& o = options_;
  const std::string& bin = BinDir();
  if (bin.empty())
    return Fail(ErrorKind::kUnavailable, "pg_cluster_no_binaries",
                "PostgreSQL server binaries not found (pg_config --bindir, /usr/lib/postgresql)");
  const fs::path dir(o.dir);
  const fs::path data = dir / "data";
  const fs::path log = dir / "postgres.log";
  std::error_code ec;
  fs::create_directories(dir / "run", ec);
  if (ec) return Fail(ErrorKind::kInternal, "pg_cluster_os_error", o.dir + ": " + ec.message());
  auto run_as = ResolveRunAs(o.os_user);
  if (!run_as.ok()) return run_as.error();
  if (Status s = PrepareOwnership(dir, *run_as); !s.ok()) return s;
  auto run = [&](std::vector<std::string> args) { return RunAsUser(*run_as, args, o.dir); };

  int port = o.port != 0 ? o.port : port_ != 0 ? port_ : ReadIntFile(dir / "port");
  if (port <= 0 || port > 65535) {
    auto picked = PickFreePort();
    if (!picked.ok()) return picked.error();
    port = *picked;
  }
  if (Status s = WriteFile(dir / "port", std::to_string(port) + "\n", *run_as); !s.ok()) return s;
  port_ = port;

  if (!fs::exists(data / "PG_VERSION")) {
    const fs::path staging = dir / "data.initdb";  // a leftover is a killed initdb: ours to drop
    fs::remove_all(staging, ec);
    locale_t utf8 = newlocale(LC_ALL_MASK, "C.UTF-8", static_cast<locale_t>(0));
    if (utf8) freelocale(utf8);
    std::string locale = utf8 ? "--locale=C.UTF-8" : "--locale=C";
    std::vector<std::string> args = {bin + "/initdb", "-D", staging.string(), "-U",  kSuperuser,
                                     "--auth=trust",  "-E", "UTF8",           locale};
    if (o.throwaway) args.push_back("--no-sync");
    auto r = run(args);
    if (!r.ok()) return r.error();
    if (r->exit_code != 0)
      return Fail(ErrorKind::kUnavailable, "pg_cluster_initdb_failed",
                  "initdb " + staging.string() + " failed:\n" + r->output);
    std::ofstream conf(staging / "postgresql.conf", std::ios::app);
    conf << "\ninclude_if_exists = 'dataplane.conf'  # settings managed by dataplane\n";
    if (!conf.flush()) return Errno("append postgresql.conf");
    conf.close();
    if (rename(staging.c_str(), data.c_str()) != 0) return Errno("rename " + staging.string());
  }
  if (Status s = WriteFile(data / "dataplane.conf", ServerSettings(o, port), *run_as); !s.ok())
    return s;

  // The postmaster itself handles a dead pid (and checks that no orphaned backend still holds
  // the shared memory named in the file), but refuses to start while the pid is alive.
  if (ProbePostmaster(data) == kReused) fs::remove(data / "postmaster.pid", ec);
  auto r = run(
      {bin + "/pg_ctl", "start", "-D", data.string(), "-l", log.string(), "-w", "-t", "60", "-s"});
  if (!r.ok()) return r.error();
  if (r->exit_code != 0)
    return Fail(ErrorKind::kUnavailable, "pg_cluster_start_failed",
                "pg_ctl start on " + o.dir + " failed: " + r->output + "last lines of " +
                    log.string() + ":" + LogTail(log));
  started_here_ = true;
  return OkStatus();
}

Status EmbeddedCluster::EnsureDatabase() const {
  std::string admin_url = std::string("postgresql://") + kSuperuser +
                          "@127.0.0.1:" + std::to_string(port_) + "/postgres";
  auto conn = Connect(admin_url);
  if (!conn.ok()) return conn.error();
  const char* params[] = {options_.database.c_str()};
  PgResult found(PQexecParams(conn->get(), "SELECT 1 FROM pg_database WHERE datname = $1", 1,
                              nullptr, params, nullptr, nullptr, 0),
                 &PQclear);
  if (PQresultStatus(found.get()) != PGRES_TUPLES_OK)
    return Fail(ErrorKind::kUnavailable, "pg_cluster_query_failed", PQerrorMessage(conn->get()));
  if (PQntuples(found.get()) > 0) return OkStatus();
  std::unique_ptr<char, decltype(&PQfreemem)> ident(
      PQescapeIdentifier(conn->get(), options_.database.c_str(), options_.database.size()),
      &PQfreemem);
  if (!ident) return Fail(ErrorKind::kInternal, "pg_cluster_query_failed", "escape failed");
  PgResult created(PQexec(conn->get(), ("CREATE DATABASE " + std::string(ident.get())).c_str()),
                   &PQclear);
  const char* state = PQresultErrorField(created.get(), PG_DIAG_SQLSTATE);
  if (PQresultStatus(created.get()) == PGRES_COMMAND_OK ||
      (state && std::string(state) == "42P04"))  // created concurrently by another starter
    return OkStatus();
  return Fail(ErrorKind::kUnavailable, "pg_cluster_create_database_failed",
              "CREATE DATABASE " + options_.database + ": " + PQerrorMessage(conn->get()));
}

Status EmbeddedCluster::Stop() {
  if (!IsRunning()) {
    started_here_ = false;
    return OkStatus();
  }
  auto run_as = ResolveRunAs(options_.os_user);
  if (!run_as.ok()) return run_as.error();
  auto r = RunAsUser(*run_as,
                     {BinDir() + "/pg_ctl", "stop", "-D", options_.dir + "/data", "-m", "fast",
                      "-w", "-t", "60", "-s"},
                     options_.dir);
  if (!r.ok()) return r.error();
  if (r->exit_code != 0 && IsRunning())
    return Fail(ErrorKind::kUnavailable, "pg_cluster_stop_failed",
                "pg_ctl stop on " + options_.dir + " failed: " + r->output +
                    "last lines of log:" + LogTail(fs::path(options_.dir) / "postgres.log"));
  started_here_ = false;
  return OkStatus();
}

Status EmbeddedCluster::Restart() {
  if (Status s = Stop(); !s.ok()) return s;
  return Start();  // port_ is kept, so the server comes back on the same port
}

}  // namespace dataplane::pg
