#include "pg/embedded_cluster.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <locale.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
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
#include <random>
#include <sstream>
#include <system_error>
#include <utility>
#include <vector>

#include "pg/child_process.h"
#include "pg/cluster_owner.h"
#include "pg/connection.h"
#include "pg/sql_failure.h"

namespace dataplane::pg {
namespace {

namespace fs = std::filesystem;
using core::Error;
using core::ErrorKind;
using core::OkStatus;
using core::Result;
using core::Status;

constexpr int kLogTailLines = 20;

Error Fail(ErrorKind kind, std::string code, std::string message) {
  return Error{kind, std::move(code), std::move(message), {}};
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

// The server's version-specific share directory (pg_config --sharedir of the server binaries).
std::string ShareDirUncached() {
  auto r = RunCommand({BinDir() + "/pg_config", "--sharedir"}, {});
  if (!r.ok() || r->exit_code != 0) return {};
  return r->output.substr(0, r->output.find_first_of("\r\n"));
}

// Binds 127.0.0.1:port (0: any) and returns the port bound, or -1.
int TryBind(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int rc = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  if (rc == 0) rc = getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return rc == 0 ? static_cast<int>(ntohs(addr.sin_port)) : -1;
}

// A free loopback port below the kernel's ephemeral range (ip_local_port_range), so that while
// the server is down (a restart keeps the port) no client's outgoing connection takes it; one
// from the ephemeral range if none of a few random tries is free.
Result<int> PickFreePort() {
  int ephemeral_low = 32768;
  std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
  range >> ephemeral_low;
  if (ephemeral_low > 20000) {
    std::mt19937 rng(std::random_device{}());
    std::uniform_int_distribution<int> pick(20000, ephemeral_low - 1);
    for (int attempt = 0; attempt < 20; ++attempt) {
      if (int port = TryBind(pick(rng)); port > 0) return port;
    }
  }
  if (int port = TryBind(0); port > 0) return port;
  return OsError("bind 127.0.0.1:0");
}

int ReadIntFile(const fs::path& path, int line_no = 1) {
  std::ifstream in(path);
  std::string line;
  for (int i = 0; i < line_no && std::getline(in, line); ++i) {
  }
  return in ? std::atoi(line.c_str()) : 0;
}

Status WriteFile(const fs::path& path, const std::string& text, const ClusterOwner& owner) {
  fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
    if (!out.flush()) return OsError("write " + tmp.string());
  }
  if (owner.other_user() && chown(tmp.c_str(), owner.uid, owner.gid) != 0)
    return OsError("chown " + tmp.string());
  if (rename(tmp.c_str(), path.c_str()) != 0) return OsError("rename " + tmp.string());
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
  if (o.timescaledb) {
    // Its scheduler and policies (refresh, compression) run as background workers.
    conf += "shared_preload_libraries = 'timescaledb'\ntimescaledb.telemetry_level = off\n";
    conf += "max_worker_processes = 16\ntimescaledb.max_background_workers = 8\n";
  }
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

// A connection for the cluster's own checks.
Result<std::unique_ptr<Connection>> Connect(const std::string& url) {
  return Connection::Open({.url = url,
                           .connect_timeout = std::chrono::seconds(5),
                           .application_name = "dataplane-cluster"});
}

// A quoted SQL identifier: "name", inner quotes doubled.
std::string QuoteIdentifier(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += c;
    out += c;
  }
  return out + "\"";
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
  if (auto alive = (*conn)->TryExec("SELECT 1"); !alive) {
    return Fail(ErrorKind::kUnavailable, "pg_cluster_unhealthy",
                "SELECT 1 failed on " + Url() + ": " + alive.error().message);
  }
  return OkStatus();
}

std::string EmbeddedCluster::InstalledTimescaleDbVersion() {
  static const std::string share_dir = ShareDirUncached();
  if (share_dir.empty()) return {};
  std::ifstream control(share_dir + "/extension/timescaledb.control");
  for (std::string line; std::getline(control, line);) {  // default_version = '2.28.3'
    if (line.rfind("default_version", 0) != 0) continue;
    size_t open = line.find('\''), close = line.rfind('\'');
    if (open != std::string::npos && close > open) return line.substr(open + 1, close - open - 1);
  }
  return {};
}

Status EmbeddedCluster::StartServer() {
  const ClusterOptions& o = options_;
  const std::string& bin = BinDir();
  if (bin.empty())
    return Fail(ErrorKind::kUnavailable, "pg_cluster_no_binaries",
                "PostgreSQL server binaries not found (pg_config --bindir, /usr/lib/postgresql)");
  if (o.timescaledb && InstalledTimescaleDbVersion().empty())
    return Fail(ErrorKind::kUnavailable, "pg_cluster_no_timescaledb",
                "TimescaleDB is not installed for " + bin +
                    " (install it: TIMESCALEDB_SOURCE=<tarball> scripts/timescaledb ensure)");
  const fs::path dir(o.dir);
  const fs::path data = dir / "data";
  const fs::path log = dir / "postgres.log";
  std::error_code ec;
  fs::create_directories(dir / "run", ec);
  if (ec) return Fail(ErrorKind::kInternal, "pg_cluster_os_error", o.dir + ": " + ec.message());
  auto owner = ResolveClusterOwner(o.os_user);
  if (!owner.ok()) return owner.error();
  if (Status s = HandDirectoryTo(dir, *owner); !s.ok()) return s;
  auto run = [&](std::vector<std::string> args) { return RunAsOwner(*owner, args, o.dir); };

  int port = o.port != 0 ? o.port : port_ != 0 ? port_ : ReadIntFile(dir / "port");
  if (port <= 0 || port > 65535) {
    auto picked = PickFreePort();
    if (!picked.ok()) return picked.error();
    port = *picked;
  }
  if (Status s = WriteFile(dir / "port", std::to_string(port) + "\n", *owner); !s.ok()) return s;
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
    if (!conf.flush()) return OsError("append postgresql.conf");
    conf.close();
    if (rename(staging.c_str(), data.c_str()) != 0) return OsError("rename " + staging.string());
  }
  if (Status s = WriteFile(data / "dataplane.conf", ServerSettings(o, port), *owner); !s.ok())
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
  Connection& db = **conn;
  auto exists = db.TryExec("SELECT 1 FROM pg_database WHERE datname = $1", {options_.database});
  if (exists && exists->Rows() > 0) return OkStatus();
  auto created = exists ? db.TryExec("CREATE DATABASE " + QuoteIdentifier(options_.database))
                        : std::move(exists);
  // Ours, or created by another starter between the look and the CREATE.
  if (created || Is(created.error(), SqlFailure::kAlreadyExists)) return OkStatus();
  return Fail(ErrorKind::kUnavailable, "pg_cluster_create_database_failed",
              "CREATE DATABASE " + options_.database + ": " + created.error().message);
}

Status EmbeddedCluster::Stop() {
  if (!IsRunning()) {
    started_here_ = false;
    return OkStatus();
  }
  auto owner = ResolveClusterOwner(options_.os_user);
  if (!owner.ok()) return owner.error();
  auto r = RunAsOwner(*owner,
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
