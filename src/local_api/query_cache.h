#pragma once
// The in-process cache of query answers (SPEC §3: CACHE_TTL_S, 0 turns it off).
//
// Never hides an acknowledged write: every committed ingest group calls Invalidate() before
// its requests are answered, which moves the cache to a new generation. A caller takes
// Generation() BEFORE it runs its query and hands it to Put(); an answer computed across a
// commit therefore carries the old generation and is never served. Entries also expire after
// the TTL. Bounded by entry count and bytes, least recently used first out. Thread-safe.
#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "metrics/scope.h"

namespace dataplane::local_api {

struct QueryCacheOptions {
  std::chrono::microseconds ttl{2'000'000};  // 0: disabled
  std::size_t max_entries = 4096;
  std::size_t max_bytes = 16 * 1024 * 1024;
};

class QueryCache {
 public:
  QueryCache(QueryCacheOptions options, const metrics::Scope& metrics);

  bool enabled() const { return options_.ttl.count() > 0; }
  std::uint64_t Generation() const;
  //! Called after every commit that changed data, before its requests are acknowledged; moves
  //! the generation even when the cache is disabled (QueryFlights keys on it).
  void Invalidate();
  //! The cached answer for `key`, if present, of the current generation and not expired.
  std::shared_ptr<const std::string> Get(const std::string& key);
  //! Stores an answer computed by a query that started at `generation`.
  void Put(const std::string& key, std::uint64_t generation, std::string body);
  //! The compressed form of `body`, an answer Get(key) returned: compress(*body), made on the
  //! first call and kept with the entry (counted in its bytes) for as long as that entry is
  //! cached, so that a hot answer is compressed once, not per request. Runs `compress` without
  //! the lock; an entry replaced or dropped meanwhile just does not keep the result.
  std::shared_ptr<const std::string> CompressedOf(
      const std::string& key, const std::shared_ptr<const std::string>& body,
      const std::function<std::string(std::string_view)>& compress);

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const std::string> body;
    std::uint64_t generation;
    std::chrono::steady_clock::time_point expires;
    std::shared_ptr<const std::string> compressed;  // CompressedOf's, once asked
  };
  using Lru = std::list<Entry>;

  void EvictWhileOver();         // requires mutex_
  void Erase(Lru::iterator it);  // requires mutex_
  void PublishSize();            // requires mutex_

  QueryCacheOptions options_;
  std::atomic<std::uint64_t> generation_{0};
  mutable std::mutex mutex_;
  Lru lru_;                                               // guarded by mutex_; front = newest
  std::unordered_map<std::string, Lru::iterator> index_;  // guarded by mutex_
  std::size_t bytes_ = 0;                                 // guarded by mutex_
  // The metric children, looked up once: WithLabels takes the registry's mutex.
  metrics::Counter& hits_;  // dataplane_cache_lookups_total{result}
  metrics::Counter& misses_;
  metrics::Gauge& size_entries_;  // dataplane_cache_size{unit}
  metrics::Gauge& size_bytes_;
};

}  // namespace dataplane::local_api
