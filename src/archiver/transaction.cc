#include "archiver/transaction.h"

#include <string>

namespace dataplane::archiver {

Transaction::~Transaction() {
  if (open_) conn_.ResetTransaction();
}

core::Status Transaction::Begin(std::chrono::milliseconds lock_timeout) {
  auto begun = conn_.TryExec("BEGIN; SET LOCAL lock_timeout = '" +
                             std::to_string(lock_timeout.count()) + "ms'");
  if (!begun) return begun.error();
  open_ = true;
  return core::OkStatus();
}

core::Status Transaction::Commit() {
  auto committed = conn_.TryExec("COMMIT");
  open_ = false;
  if (!committed) return committed.error();
  return core::OkStatus();
}

}  // namespace dataplane::archiver
