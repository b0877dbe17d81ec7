#pragma once
// One PostgreSQL connection (libpq). The boundary where libpq status codes and SQLSTATEs
// become core::Error (pg/sql_failure.h classifies them; no SQLSTATE is tested anywhere else).
//
// Two forms of each call, one error rule:
// - Try*() return every failure as a value: use them where a failure is an expected outcome the
//   caller handles (a missing partition it creates, a database another starter created, a
//   setting the role may not change — see SqlFailure).
// - The plain forms throw core::Failure: for statements whose failure aborts the request or task
//   that issued it (the task's boundary — the HTTP server, the writer, the scheduler — maps it).
// Not thread-safe: one thread uses a connection at a time (the Pool hands them out).
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <libpq-fe.h>

#include "core/error.h"
#include "pg/result.h"

namespace dataplane::pg {

using Params = std::vector<std::optional<std::string>>;

//! How a statement's parameters are sent: as text, or all in their types' binary format
//! (pg/binary_array.h), which the server reads without parsing text.
enum class ParamFormat { kText, kBinary };

//! One statement of a pipeline with its parameters $1..$n.
struct PipelinedStatement {
  const std::string* sql;
  Params params;
  ParamFormat format = ParamFormat::kText;
};

struct ConnectOptions {
  std::string url;
  std::chrono::seconds connect_timeout{2};
  std::string application_name = "dataplane";
  std::chrono::milliseconds statement_timeout{30000};
  //! More server settings for the session, e.g. {"plan_cache_mode", "force_generic_plan"}.
  std::vector<std::pair<std::string, std::string>> settings = {};
};

//! Cancels the statement a connection runs, from any thread (libpq's PGcancel). Made by the
//! thread that uses the connection (Connection::Canceller), before it starts that statement.
class QueryCanceller {
 public:
  //! Best effort: a statement that already ended is not affected (an idle session ignores it).
  void Cancel() const;

 private:
  friend class Connection;
  explicit QueryCanceller(PGcancel* cancel) : cancel_(cancel, &PQfreeCancel) {}
  std::unique_ptr<PGcancel, decltype(&PQfreeCancel)> cancel_;
};

class Connection {
 public:
  // Opens a connection; kUnavailable when the server cannot be reached.
  static core::Result<std::unique_ptr<Connection>> Open(const ConnectOptions& options);
  //! Opens another connection with the options this one was opened with (a second session of
  //! the same role on the same database).
  core::Result<std::unique_ptr<Connection>> OpenSibling() const { return Open(options_); }
  ~Connection();
  //! What cancels this connection's statements from another thread.
  QueryCanceller Canceller() const { return QueryCanceller(PQgetCancel(conn_)); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  //! One statement or several separated by ';' (simple protocol); returns the last result.
  core::Result<PgResult> TryExec(std::string_view sql);
  //! One statement with text parameters $1..$n (nullopt is NULL), unprepared (also for
  //! statements that cannot be prepared, such as FETCH); `format` is how the columns come back.
  core::Result<PgResult> TryExec(std::string_view sql, const Params& params,
                                 ResultFormat format = ResultFormat::kText);
  //! Like TryExec(sql, params), through a statement prepared on this connection the first time
  //! this exact SQL text is seen (so it is parsed and planned once per connection).
  //! `format` is how the result's columns come back (pg/result.h reads both).
  core::Result<PgResult> TryExecPrepared(const std::string& sql, const Params& params,
                                         ResultFormat format = ResultFormat::kText);
  //! Runs parameterless statements (each prepared on this connection on first use) in one
  //! libpq pipeline: one round trip for all. One result per statement, or the first
  //! statement's failure (the later ones are then skipped by the server).
  core::Result<std::vector<PgResult>> TryExecPipeline(const std::vector<std::string>& statements);
  //! The same with parameters per statement.
  core::Result<std::vector<PgResult>> TryExecPipeline(
      const std::vector<PipelinedStatement>& statements);
  //! COPY … FROM STDIN with `data` in the format the statement names (text by default).
  core::Status TryCopyIn(std::string_view copy_sql, std::string_view data);
  //! COPY … TO STDOUT: `on_row` gets each CopyData message as it arrives (one row each, in the
  //! format the statement names; pg/binary_copy_reader.h reads the binary one), so memory holds
  //! one row while the server streams the rest. An error from `on_row` cancels the COPY on the
  //! server, drains what it already sent and is returned; the connection stays usable. Any other
  //! statement is refused after it ran (kInternal "not_copy_out").
  core::Status TryCopyOut(std::string_view copy_sql,
                          const std::function<core::Status(std::string_view)>& on_row);

  //! The same calls, throwing core::Failure on any failure.
  PgResult Exec(std::string_view sql) { return core::ValueOrThrow(TryExec(sql)); }
  PgResult Exec(std::string_view sql, const Params& params) {
    return core::ValueOrThrow(TryExec(sql, params));
  }
  PgResult ExecPrepared(const std::string& sql, const Params& params,
                        ResultFormat format = ResultFormat::kText) {
    return core::ValueOrThrow(TryExecPrepared(sql, params, format));
  }
  std::vector<PgResult> ExecPipeline(const std::vector<std::string>& statements) {
    return core::ValueOrThrow(TryExecPipeline(statements));
  }
  void CopyIn(std::string_view copy_sql, std::string_view data) {
    core::ValueOrThrow(TryCopyIn(copy_sql, data));
  }

  //! Runs "SELECT 1", giving up after `timeout` (a frozen server must not hang the caller).
  //! False on any failure; the connection is then unusable and should be discarded.
  bool Ping(std::chrono::milliseconds timeout);

  //! True when the server connection is gone; the pool then discards it.
  bool IsBroken() const;
  //! Rolls back an open transaction (used after a failure); swallows errors.
  void ResetTransaction();

 private:
  Connection(PGconn* conn, ConnectOptions options) : conn_(conn), options_(std::move(options)) {}
  // The failure of `result` (or of the connection, when null), classified.
  core::Error ErrorOf(const PGresult* result, std::string_view what) const;
  core::Result<std::string> PreparedName(const std::string& sql);
  core::Result<PgResult> Check(PGresult* result, std::string_view what) const;
  //! Asks the server to cancel what this connection runs (best effort).
  void CancelRunningQuery() const { Canceller().Cancel(); }

  PGconn* conn_;
  ConnectOptions options_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
};

}  // namespace dataplane::pg
