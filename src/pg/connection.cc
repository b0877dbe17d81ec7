#include "pg/connection.h"

#include <poll.h>

#include <string>

#include "core/log.h"
#include "pg/sql_failure.h"

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
  // Our defaults come first so that anything in the URL overrides them — except the client
  // encoding, after it: everything we send and read is UTF-8 (JSON), whatever PGCLIENTENCODING
  // or the URL say.
  const char* keys[] = {"connect_timeout",
                        "keepalives",
                        "keepalives_idle",
                        "keepalives_interval",
                        "keepalives_count",
                        "tcp_user_timeout",
                        "application_name",
                        "options",
                        "dbname",
                        "client_encoding",
                        nullptr};
  const char* values[] = {timeout.c_str(),
                          "1",
                          "5",
                          "2",
                          "3",
                          "10000",
                          options.application_name.c_str(),
                          statement_timeout.c_str(),
                          options.url.c_str(),
                          "UTF8",
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
  return std::unique_ptr<Connection>(new Connection(conn, options));
}

Connection::~Connection() { PQfinish(conn_); }

bool Connection::IsBroken() const { return PQstatus(conn_) != CONNECTION_OK; }

core::Error Connection::ErrorOf(const PGresult* result, std::string_view what) const {
  std::string message =
      TrimTrailingNewline(result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn_));
  if (IsBroken()) return UnavailableError("database connection lost: " + message);
  const char* sqlstate = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const char* constraint =
      result != nullptr ? PQresultErrorField(result, PG_DIAG_CONSTRAINT_NAME) : nullptr;
  return ClassifySqlState(sqlstate, constraint, std::string(what) + ": " + message);
}

core::Result<PgResult> Connection::Check(PGresult* raw, std::string_view what) const {
  PgResult result(raw);
  const ExecStatusType status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_COPY_IN &&
      status != PGRES_COPY_OUT) {
    return ErrorOf(raw, what);
  }
  return result;
}

core::Result<PgResult> Connection::TryExec(std::string_view sql) {
  return Check(PQexec(conn_, std::string(sql).c_str()), "query failed");
}

core::Result<PgResult> Connection::TryExec(std::string_view sql, const Params& params,
                                           ResultFormat format) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  return Check(PQexecParams(conn_, std::string(sql).c_str(), static_cast<int>(values.size()),
                            nullptr, values.data(), nullptr, nullptr, static_cast<int>(format)),
               "query failed");
}

core::Result<std::string> Connection::PreparedName(const std::string& sql) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::string name = "dp_" + std::to_string(prepared_.size());
    auto prepared =
        Check(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr), "prepare failed");
    if (!prepared) return prepared.error();
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  return it->second;
}

core::Result<PgResult> Connection::TryExecPrepared(const std::string& sql, const Params& params,
                                                   ResultFormat format) {
  auto name = PreparedName(sql);
  if (!name) return name.error();
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  return Check(PQexecPrepared(conn_, name->c_str(), static_cast<int>(values.size()), values.data(),
                              nullptr, nullptr, static_cast<int>(format)),
               "query failed");
}

core::Result<std::vector<PgResult>> Connection::TryExecPipeline(
    const std::vector<std::string>& statements) {
  std::vector<PipelinedStatement> without_params;
  without_params.reserve(statements.size());
  for (const std::string& sql : statements) without_params.push_back({&sql, {}});
  return TryExecPipeline(without_params);
}

core::Result<std::vector<PgResult>> Connection::TryExecPipeline(
    const std::vector<PipelinedStatement>& statements) {
  std::vector<std::string> names;
  for (const PipelinedStatement& statement : statements) {
    auto name = PreparedName(*statement.sql);
    if (!name) return name.error();
    names.push_back(std::move(*name));
  }
  if (PQenterPipelineMode(conn_) != 1) return ErrorOf(nullptr, "cannot enter pipeline mode");
  bool sent = true;
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
  for (std::size_t i = 0; i < names.size(); ++i) {
    values.clear();
    lengths.clear();
    for (const auto& p : statements[i].params) {
      values.push_back(p ? p->data() : nullptr);
      lengths.push_back(p ? static_cast<int>(p->size()) : 0);
    }
    const bool binary = statements[i].format == ParamFormat::kBinary;
    formats.assign(values.size(), binary ? 1 : 0);
    sent = sent && PQsendQueryPrepared(conn_, names[i].c_str(), static_cast<int>(values.size()),
                                       values.data(), binary ? lengths.data() : nullptr,
                                       binary ? formats.data() : nullptr, 0) == 1;
  }
  sent = sent && PQpipelineSync(conn_) == 1;
  std::vector<PgResult> results;
  std::optional<core::Error> failure;
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
    auto result = Check(raw, "pipelined statement failed");
    if (result) {
      results.push_back(std::move(*result));
    } else if (!failure) {
      failure = result.error();
    }
    if (IsBroken()) break;
  }
  PQexitPipelineMode(conn_);
  if (!sent && !failure) return ErrorOf(nullptr, "pipeline send failed");
  if (failure) return *failure;
  return results;
}

core::Status Connection::TryCopyIn(std::string_view copy_sql, std::string_view data) {
  if (auto started = Check(PQexec(conn_, std::string(copy_sql).c_str()), "COPY failed"); !started) {
    return started.error();
  }
  if (PQputCopyData(conn_, data.data(), static_cast<int>(data.size())) != 1 ||
      PQputCopyEnd(conn_, nullptr) != 1) {
    return ErrorOf(nullptr, "COPY data failed");
  }
  std::optional<core::Error> failure;
  while (PGresult* raw = PQgetResult(conn_)) {
    if (auto result = Check(raw, "COPY failed"); !result && !failure) failure = result.error();
  }
  if (failure) return *failure;
  return core::OkStatus();
}

core::Status Connection::TryCopyOut(std::string_view copy_sql,
                                    const std::function<core::Status(std::string_view)>& on_row) {
  PGresult* raw = PQexec(conn_, std::string(copy_sql).c_str());
  const bool copying_out = raw != nullptr && PQresultStatus(raw) == PGRES_COPY_OUT;
  auto started = Check(raw, "COPY failed");
  if (!started) return started.error();
  if (!copying_out) {
    return core::Error{
        core::ErrorKind::kInternal, "not_copy_out", "not a COPY … TO STDOUT statement", {}};
  }
  std::optional<core::Error> failure;
  for (;;) {
    char* buffer = nullptr;
    const int size = PQgetCopyData(conn_, &buffer, 0);
    if (size < 0) break;  // -1: the COPY is done; -2: failed (its result says why)
    if (!failure) {
      if (core::Status taken = on_row(std::string_view(buffer, static_cast<std::size_t>(size)));
          !taken) {
        failure = taken.error();
        CancelRunningQuery();
      }
    }
    PQfreemem(buffer);
  }
  while (PGresult* raw = PQgetResult(conn_)) {
    if (auto result = Check(raw, "COPY failed"); !result && !failure) failure = result.error();
  }
  if (failure) return *failure;
  return core::OkStatus();
}

void QueryCanceller::Cancel() const {
  if (cancel_ == nullptr) return;
  char error[256];
  (void)PQcancel(cancel_.get(), error, sizeof error);
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

}  // namespace dataplane::pg
