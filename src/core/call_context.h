#pragma once
// What travels with one request through every thread that works on it: its deadline, who asked
// (the principal) and its trace. The HTTP server creates it (http/request_context.h) and hands
// it to the handler; the handler passes it on to the blocking pool (pg::Pool::Acquire waits no
// longer than the deadline) and to the ingest writer (a request whose deadline passed while it
// was queued is answered 503 without being written). A plain value: copy it across threads.
#include <chrono>
#include <string>
#include <vector>

#include "core/trace_context.h"

namespace dataplane::core {

// Who made a request. Until token auth (issue 14) every request is anonymous.
struct Principal {
  std::string subject = "anonymous";
  std::vector<std::string> scopes;  // what the credentials allow, e.g. "read", "ingest"
  std::vector<std::string> sites;   // sites the caller may see; empty = every site

  //! What makes two principals' answers differ (their visible data), for cache keys: two
  //! principals with the same scopes and sites get the same answers whoever they are.
  std::string CachePartition() const {
    std::string key;
    for (const std::string& scope : scopes) key.append(scope).push_back(',');
    key.push_back('|');
    for (const std::string& site : sites) key.append(site).push_back(',');
    return key;
  }
};

struct CallContext {
  using Clock = std::chrono::steady_clock;

  Clock::time_point deadline = Clock::time_point::max();
  Principal principal;
  TraceContext trace;

  bool Expired() const { return Clock::now() >= deadline; }
};

}  // namespace dataplane::core
