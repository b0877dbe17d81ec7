#pragma once
// A private PostgreSQL cluster under one directory, used by `dataplane up` (./var/pg) and by the
// integration tests (a throwaway cluster in a temp dir). `scripts/pg` manages the same layout
// from the shell.
//
// Layout of `dir`: data/ (the cluster; data/dataplane.conf holds our settings and is rewritten on
// every Start), run/ (the Unix socket), postgres.log (server log), port (the TCP port, chosen
// once and reused so the URL stays stable across restarts and runs; picked below the kernel's
// ephemeral range, so that no outgoing connection takes it while the server is down).
//
// Contract:
// - Start() runs initdb on first use (into data.initdb, renamed to data when complete, so a
//   killed initdb never leaves a half cluster), then `pg_ctl start -w`, creates the database if
//   missing and checks `SELECT 1` over Url(). If a server is already running on the data dir it
//   is adopted: Start() succeeds but this object will not stop it.
// - Failures are returned as core::Status (see core/error.h): kInvalidInput for bad options,
//   kUnavailable when the binaries are missing or the server does not come up (the message then
//   ends with the last 20 lines of postgres.log), kInternal for OS-level failures.
// - Child processes (initdb, pg_ctl, useradd: child_process.h) are spawned without a shell and
//   with timeouts, so no call hangs for more than about a minute. SQL goes through
//   pg::Connection.
// - When the process runs as root, the server runs as `options.os_user` (created if missing,
//   race-free between processes: see cluster_owner.h), which owns `dir`; ancestors of `dir` are
//   made traversable (o+x) for that user.
// - Not thread-safe: use one object from one thread at a time. Several objects (or processes)
//   may point at the same dir; only the one whose Start() launched the server stops it on
//   destruction.
#include <string>

#include "core/error.h"

namespace dataplane::pg {

struct ClusterOptions {
  std::string dir;  // cluster root; relative paths are resolved against the working directory
  int port = 0;     // 0: reuse the port recorded in <dir>/port, else pick a free loopback port
  std::string os_user = "dataplane";  // used only when running as root: PostgreSQL refuses root
  std::string database = "dataplane";
  bool throwaway = false;  // tests: fsync=off, full_page_writes=off, synchronous_commit stays on
  //! Preload the timescaledb extension (shared_preload_libraries, telemetry off). It must be
  //! installed for these server binaries (InstalledTimescaleDbVersion()); Start() refuses
  //! otherwise. Off: a plain PostgreSQL server, on which the schema uses native partitions.
  bool timescaledb = false;
};

class EmbeddedCluster {
 public:
  //! The superuser created by initdb; Url() connects as this role (trust auth, loopback only).
  static constexpr const char* kSuperuser = "dataplane";

  explicit EmbeddedCluster(ClusterOptions options);
  //! Stops the server if this object started it; errors are ignored.
  ~EmbeddedCluster();
  EmbeddedCluster(const EmbeddedCluster&) = delete;
  EmbeddedCluster& operator=(const EmbeddedCluster&) = delete;

  //! initdb on first use, pg_ctl start -w, create the database if missing, verify SELECT 1.
  core::Status Start();
  //! pg_ctl stop -m fast -w; OK if the server is already stopped or was never created.
  core::Status Stop();
  //! Stop then Start on the same port; the data is kept.
  core::Status Restart();
  //! True when data/postmaster.pid names a live process (what `pg_ctl status` checks).
  bool IsRunning() const;
  //! The TCP port: options.port until Start() resolves it (0 = not yet known).
  int port() const { return port_; }
  //! postgresql://<superuser>@127.0.0.1:<port>/<database>
  std::string Url() const;
  //! The default_version of the timescaledb extension installed for the server binaries this
  //! class runs (<pg_config --sharedir>/extension/timescaledb.control), or "" when absent.
  static std::string InstalledTimescaleDbVersion();
  //! The options, with `dir` made absolute.
  const ClusterOptions& options() const { return options_; }

 private:
  core::Status StartServer();
  core::Status EnsureDatabase() const;

  ClusterOptions options_;
  int port_ = 0;
  bool started_here_ = false;  // this object launched the running server
};

}  // namespace dataplane::pg
