#include "pg/connection.h"

#include "core/log.h"

#include <poll.h>

#include <string>

namespace dataplane::pg {
namespace {

core::Error UnavailableError(std::string message) {
  return core::Error{core::ErrorKind::kUnavailable, "database_unavailable", std::move(message), {}};
}

std::string TrimTrailingNewline(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

core::Result<std::unique_ptr<Connection>> Connection::Open(const ConnectOptions& options) {
  const std::string timeout = std::to_string(options.connect_timeout.count());
  std::string statement_timeout =
      "-c statement_timeout=" + std::to_string(options.statement_timeout.count()) +
      " -c timezone=UTC";
  for (const auto& [name, value] : options.settings)
    statement_timeout += " -c " + name + "=" + value;
  // Our defaults come first so that anything in the URL overrides them.
  const char* keys[] = {"connect_timeout",  "keepalives",
                        "keepalives_idle",  "keepalives_interval",
                        "keepalives_count", "tcp_user_timeout",
                        "application_name", "options",
                        "dbname",           nullptr};
  const char* values[] = {timeout.c_str(),
                          "1",
                          "5",
                          "2",
                          "3",
                          "10000",
                          options.application_name.c_str(),
                          statement_timeout.c_str(),
                          options.url.c_str(),
                          nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (conn == nullptr) return UnavailableError("out of memory connecting to the database");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = TrimTrailingNewline(PQerrorMessage(conn));
    PQfinish(conn);
    return UnavailableError("database unreachable: " + message);
  }
  // Server notices (e.g. a migration's advice) become log lines, like everything we print.
  PQsetNoticeProcessor(
      conn,
      [](void*, const char* message) {
        core::LogInfo("database notice", {{"message", TrimTrailingNewline(message)}});
      },
      nullptr);
  return std::unique_ptr<Connection>(new Connection(conn));
}

Connection::~Connection() { PQfinish(conn_); }

bool Connection::IsBroken() const { return PQstatus(conn_) != CONNECTION_OK; }

void Connection::Fail(const PGresult* result, std::string_view what) const {
  std::string message =
      TrimTrailingNewline(result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn_));
  if (IsBroken()) throw core::Failure(UnavailableError("database connection lost: " + message));
  const char* sqlstate = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  if (sqlstate == nullptr)
    throw core::Failure(UnavailableError(std::string(what) + ": " + message));
  const std::string state(sqlstate);
  // 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, 08xxx connection.
  if (state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03" ||
      state == "53300") {
    throw core::Failure(UnavailableError(std::string(what) + ": " + message));
  }
  throw core::Failure(core::Error{
      core::ErrorKind::kInternal, "sqlstate_" + state, std::string(what) + ": " + message, {}});
}

PgResult Connection::Check(PGresult* raw, std::string_view what) const {
  PgResult result(raw);
  const ExecStatusType status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_COPY_IN) {
    Fail(raw, what);
  }
  return result;
}

PgResult Connection::Exec(std::string_view sql) {
  return Check(PQexec(conn_, std::string(sql).c_str()), "query failed");
}

PgResult Connection::Exec(std::string_view sql, const Params& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  return Check(PQexecParams(conn_, std::string(sql).c_str(), static_cast<int>(values.size()),
                            nullptr, values.data(), nullptr, nullptr, 0),
               "query failed");
}

const std::string& Connection::PreparedName(const std::string& sql) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::string name = "dp_" + std::to_string(prepared_.size());
    Check(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr), "prepare failed");
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  return it->second;
}

PgResult Connection::ExecPrepared(const std::string& sql, const Params& params) {
  const std::string& name = PreparedName(sql);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  return Check(PQexecPrepared(conn_, name.c_str(), static_cast<int>(values.size()), values.data(),
                              nullptr, nullptr, 0),
               "query failed");
}

std::vector<PgResult> Connection::ExecPipeline(const std::vector<std::string>& statements) {
  std::vector<const std::string*> names;
  for (const std::string& sql : statements) names.push_back(&PreparedName(sql));
  if (PQenterPipelineMode(conn_) != 1) Fail(nullptr, "cannot enter pipeline mode");
  bool sent = true;
  for (const std::string* name : names) {
    sent = sent && PQsendQueryPrepared(conn_, name->c_str(), 0, nullptr, nullptr, nullptr, 0) == 1;
  }
  sent = sent && PQpipelineSync(conn_) == 1;
  std::vector<PgResult> results;
  std::optional<core::Failure> failure;
  // Each statement's results end with a null; the pipeline ends with PGRES_PIPELINE_SYNC.
  while (sent) {
    PGresult* raw = PQgetResult(conn_);
    if (raw == nullptr) {
      if (IsBroken()) break;
      continue;
    }
    const ExecStatusType status = PQresultStatus(raw);
    if (status == PGRES_PIPELINE_SYNC) {
      PQclear(raw);
      break;
    }
    if (status == PGRES_PIPELINE_ABORTED) {
      PQclear(raw);
      continue;
    }
    try {
      results.push_back(Check(raw, "pipelined statement failed"));
    } catch (const core::Failure& f) {
      if (!failure) failure = f;
    }
    if (IsBroken()) break;
  }
  PQexitPipelineMode(conn_);
  if (!sent && !failure) Fail(nullptr, "pipeline send failed");
  if (failure) throw *failure;
  return results;
}

void Connection::CopyIn(std::string_view copy_sql, std::string_view data) {
  Check(PQexec(conn_, std::string(copy_sql).c_str()), "COPY failed");
  if (PQputCopyData(conn_, data.data(), static_cast<int>(data.size())) != 1 ||
      PQputCopyEnd(conn_, nullptr) != 1) {
    Fail(nullptr, "COPY data failed");
  }
  std::optional<core::Failure> failure;
  while (PGresult* raw = PQgetResult(conn_)) {
    try {
      Check(raw, "COPY failed");
    } catch (const core::Failure& f) {
      if (!failure) failure = f;
    }
  }
  if (failure) throw *failure;
}

bool Connection::Ping(std::chrono::milliseconds timeout) {
  if (IsBroken() || PQsendQuery(conn_, "SELECT 1") == 0) return false;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool ok = true;
  while (PQisBusy(conn_)) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd fd{PQsocket(conn_), POLLIN, 0};
    if (left.count() <= 0 || poll(&fd, 1, static_cast<int>(left.count())) <= 0 ||
        PQconsumeInput(conn_) == 0) {
      return false;
    }
  }
  while (PGresult* r = PQgetResult(conn_)) {
    ok = ok && PQresultStatus(r) == PGRES_TUPLES_OK;
    PQclear(r);
  }
  return ok;
}

void Connection::ResetTransaction() {
  if (IsBroken()) return;
  if (PQtransactionStatus(conn_) != PQTRANS_IDLE) PQclear(PQexec(conn_, "ROLLBACK"));
}

bool IsSqlState(const core::Error& error, std::string_view sqlstate) {
  return error.code.size() == 9 + sqlstate.size() && error.code.starts_with("sqlstate_") &&
         error.code.ends_with(sqlstate);
}

}  // namespace dataplane::pg
