#pragma once
// Several `COPY … TO STDOUT` statements read at once, one per connection, each by a thread of its
// own, and handed to one consumer on the calling thread. Each server streams as fast as it can
// while the consumer works: the readers only move CopyData messages into a queue bounded by
// `queue_bytes`, so a server waits only while the consumer is that far behind (memory stays
// bounded whatever the size of the result).
//
// The consumer sees every message of every stream exactly once, one at a time, in each stream's
// order (the streams interleave by chunks of messages); `message` is valid during the call only.
//
// Errors: the first failure wins and stops everything. A consumer's error, or a stream's (the
// server's error, a broken connection), makes the others stop: their readers stop taking
// messages, and their COPY is cancelled on the server — also one that has not sent a row yet.
// The call returns only after every reader thread has ended, with that first error. The
// connections stay in whatever transaction they were in (a failed COPY leaves it aborted: the
// caller rolls back). Each connection must not be used by anyone else meanwhile.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "pg/connection.h"

namespace dataplane::pg {

struct CopyOutStream {
  Connection* conn;
  std::string copy_sql;  // COPY (…) TO STDOUT …
};

//! Called for each message with the index of its stream in `streams`.
using CopyMessageConsumer = std::function<core::Status(std::size_t stream, std::string_view)>;

core::Status ParallelCopyOut(const std::vector<CopyOutStream>& streams,
                             const CopyMessageConsumer& consume,
                             std::size_t queue_bytes = 16 * 1024 * 1024);

}  // namespace dataplane::pg
