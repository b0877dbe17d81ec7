#pragma once
// The one error rule of dataplane.
//
// Expected failures — bad input, a duplicate, an unreachable database, a site that times out —
// are values the caller must look at: functions return `Result<T>` (a value or an `Error`).
// Exceptions are used only for failures that abort the current request or task; they derive
// from `dataplane::core::Failure`, carry an `ErrorKind`, and are turned into an HTTP status in
// exactly one place (`http/status.cc`). libpq and errno codes are converted to `Error` at
// one boundary (the `pg` module, and the OS-level helpers beside it) and never inspected
// anywhere else.
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace dataplane::core {

enum class ErrorKind {
  kMalformed,         // the request cannot be parsed: bad HTTP, JSON or UTF-8, a bad target (400)
  kInvalidInput,      // well-formed, but a value we will never accept (422, not retryable)
  kTooLarge,          // body or batch over a configured limit (413)
  kNotFound,          // the addressed thing does not exist (404)
  kMethodNotAllowed,  // the path exists, the method does not (405)
  kUnauthorized,      // missing or bad credentials (401)
  kForbidden,         // credentials lack the scope (403)
  kUnavailable,       // a dependency is down or overloaded; retry later (503 + Retry-After)
  kBadGateway,  // upstreams (a Central API's sites) failed and no partial answer was wanted (502)
  kInternal,    // a bug or an unclassified failure (500)
};

struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  std::string code;     // machine-readable, e.g. "invalid_uuid"
  std::string message;  // for humans; names the field or dependency
  std::string field;    // the offending field for input errors, else empty

  static Error Malformed(std::string code, std::string message) {
    return {ErrorKind::kMalformed, std::move(code), std::move(message), {}};
  }
  static Error Invalid(std::string code, std::string field, std::string message) {
    return {ErrorKind::kInvalidInput, std::move(code), std::move(message), std::move(field)};
  }
  static Error Unavailable(std::string message) {
    return {ErrorKind::kUnavailable, "unavailable", std::move(message), {}};
  }
};

// A value or the Error that prevented it.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Aborts the current request or task; mapped to an HTTP status in one place.
class Failure : public std::runtime_error {
 public:
  explicit Failure(Error error) : std::runtime_error(error.message), error_(std::move(error)) {}
  const Error& error() const { return error_; }

 private:
  Error error_;
};

//! The value of `result`, or throws its Error as a Failure: for a caller whose request or task
//! cannot go on without the value (the throwing forms of pg::Connection, Pool::Acquire).
template <typename T>
T ValueOrThrow(Result<T> result) {
  if (!result) throw Failure(result.error());
  return std::move(result.value());
}

// A success without a value, or the Error that prevented it.
using Status = Result<std::monostate>;
inline Status OkStatus() { return std::monostate{}; }

}  // namespace dataplane::core
