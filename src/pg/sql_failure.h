#pragma once
// The database failures callers are expected to handle, told apart without SQLSTATEs.
//
// pg::Connection classifies every failure into a core::Error whose code names one of these
// (its kind says how it maps to HTTP if nobody handles it):
//   kConnectionLost         "database_unavailable"   kUnavailable  class 08, 57P01-03, 53300, or
//                                                                  the connection dropped
//   kDeadlock               "deadlock"               kUnavailable  40P01, 40001 (retryable)
//   kLockNotAvailable       "lock_not_available"     kUnavailable  55P03: lock_timeout passed
//                                                                  (retryable)
//   kMissingPartition       "missing_partition"      kInternal     23514 with no constraint:
//                                                                  "no partition … for row"
//   kUniqueViolation        "unique_violation"       kInternal     23505
//   kInsufficientPrivilege  "insufficient_privilege" kInternal     42501 (our role, not the
//                                                                  client's credentials)
//   kAlreadyExists          "already_exists"         kInternal     42P04, 42P07, 42710
//   kDataRejected           "data_rejected"          kInternal     the rest of classes 22, 23: the
//                                                                  statement's data was refused
//   kOther                  "sqlstate_<CODE>"        kInternal     anything else
// kInternal because, unhandled, each is our bug or our configuration, not the client's.
#include <string_view>

#include "core/error.h"

namespace dataplane::pg {

enum class SqlFailure {
  kConnectionLost,
  kDeadlock,
  kLockNotAvailable,
  kMissingPartition,
  kUniqueViolation,
  kInsufficientPrivilege,
  kAlreadyExists,
  kDataRejected,
  kOther,
};

//! What `error` (from pg::Connection) was; kOther for errors that did not come from it.
SqlFailure FailureOf(const core::Error& error);
inline bool Is(const core::Error& error, SqlFailure failure) { return FailureOf(error) == failure; }

//! The Error for a server failure with this SQLSTATE (null: none) and constraint name.
core::Error ClassifySqlState(const char* sqlstate, const char* constraint, std::string message);

}  // namespace dataplane::pg
