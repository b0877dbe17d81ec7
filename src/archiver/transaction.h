#pragma once
// A transaction on one connection that rolls back unless committed: the archiver's removal
// (day_removal.h) and restore (archive_restore.h) steps run inside one, so that a failure or an
// early return at any point leaves nothing half-done. Begin sets the transaction's lock_timeout
// (a lock it cannot get in time fails the statement instead of waiting behind writers).
#include <chrono>

#include "core/error.h"
#include "pg/connection.h"

namespace dataplane::archiver {

class Transaction {
 public:
  explicit Transaction(pg::Connection& conn) : conn_(conn) {}
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  core::Status Begin(std::chrono::milliseconds lock_timeout);
  core::Status Commit();

 private:
  pg::Connection& conn_;
  bool open_ = false;
};

}  // namespace dataplane::archiver
