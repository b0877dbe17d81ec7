#include "pg/sql_failure.h"

#include <array>
#include <string>
#include <utility>

namespace dataplane::pg {
namespace {

struct Named {
  SqlFailure failure;
  core::ErrorKind kind;
  const char* code;
};
constexpr std::array<Named, 8> kNamed = {{
    {SqlFailure::kConnectionLost, core::ErrorKind::kUnavailable, "database_unavailable"},
    {SqlFailure::kDeadlock, core::ErrorKind::kUnavailable, "deadlock"},
    {SqlFailure::kLockNotAvailable, core::ErrorKind::kUnavailable, "lock_not_available"},
    {SqlFailure::kMissingPartition, core::ErrorKind::kInternal, "missing_partition"},
    {SqlFailure::kUniqueViolation, core::ErrorKind::kInternal, "unique_violation"},
    {SqlFailure::kInsufficientPrivilege, core::ErrorKind::kInternal, "insufficient_privilege"},
    {SqlFailure::kAlreadyExists, core::ErrorKind::kInternal, "already_exists"},
    {SqlFailure::kDataRejected, core::ErrorKind::kInternal, "data_rejected"},
}};

SqlFailure FailureOfState(std::string_view state, bool has_constraint) {
  if (state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03" ||
      state == "53300") {
    return SqlFailure::kConnectionLost;
  }
  if (state == "40P01" || state == "40001") return SqlFailure::kDeadlock;
  if (state == "55P03") return SqlFailure::kLockNotAvailable;
  if (state == "23514" && !has_constraint) return SqlFailure::kMissingPartition;
  if (state == "23505") return SqlFailure::kUniqueViolation;
  if (state == "42501") return SqlFailure::kInsufficientPrivilege;
  if (state == "42P04" || state == "42P07" || state == "42710") return SqlFailure::kAlreadyExists;
  if (state.starts_with("22") || state.starts_with("23")) return SqlFailure::kDataRejected;
  return SqlFailure::kOther;
}

}  // namespace

SqlFailure FailureOf(const core::Error& error) {
  for (const Named& named : kNamed) {
    if (error.code == named.code) return named.failure;
  }
  return SqlFailure::kOther;
}

core::Error ClassifySqlState(const char* sqlstate, const char* constraint, std::string message) {
  if (sqlstate == nullptr) {
    return {core::ErrorKind::kUnavailable, "database_unavailable", std::move(message), {}};
  }
  const SqlFailure failure =
      FailureOfState(sqlstate, constraint != nullptr && constraint[0] != '\0');
  for (const Named& named : kNamed) {
    if (named.failure == failure) return {named.kind, named.code, std::move(message), {}};
  }
  return {core::ErrorKind::kInternal, std::string("sqlstate_") + sqlstate, std::move(message), {}};
}

}  // namespace dataplane::pg
