#include "local_api/query_cache.h"

namespace dataplane::local_api {

namespace {

metrics::ScopedFamily<metrics::Counter> LookupsFamily(const metrics::Scope& metrics) {
  return metrics.AddCounter("dataplane_cache_lookups_total",
                            "Query cache lookups, by result (hit, miss).", {"result"});
}

metrics::ScopedFamily<metrics::Gauge> SizeFamily(const metrics::Scope& metrics) {
  return metrics.AddGauge("dataplane_cache_size", "Query cache size, by unit (entries, bytes).",
                          {"unit"});
}

}  // namespace

QueryCache::QueryCache(QueryCacheOptions options, const metrics::Scope& metrics)
    : options_(options),
      hits_(LookupsFamily(metrics).WithLabels({"hit"})),
      misses_(LookupsFamily(metrics).WithLabels({"miss"})),
      size_entries_(SizeFamily(metrics).WithLabels({"entries"})),
      size_bytes_(SizeFamily(metrics).WithLabels({"bytes"})) {
  std::lock_guard lock(mutex_);
  PublishSize();
}

std::uint64_t QueryCache::Generation() const { return generation_.load(std::memory_order_acquire); }

void QueryCache::Invalidate() {
  // Counted even when caching is off: the single flight of misses (query_flights.h) keys on it.
  generation_.fetch_add(1, std::memory_order_acq_rel);
  if (!enabled()) return;
  std::lock_guard lock(mutex_);
  lru_.clear();
  index_.clear();
  bytes_ = 0;
  PublishSize();
}

std::shared_ptr<const std::string> QueryCache::Get(const std::string& key) {
  if (!enabled()) return nullptr;
  std::lock_guard lock(mutex_);
  auto it = index_.find(key);
  if (it == index_.end()) {
    misses_.Inc();
    return nullptr;
  }
  if (it->second->generation != Generation() ||
      std::chrono::steady_clock::now() >= it->second->expires) {
    Erase(it->second);
    PublishSize();
    misses_.Inc();
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it->second);
  hits_.Inc();
  return it->second->body;
}

void QueryCache::Put(const std::string& key, std::uint64_t generation, std::string body) {
  if (!enabled() || body.size() > options_.max_bytes / 4) return;
  std::lock_guard lock(mutex_);
  if (generation != Generation()) return;  // a commit happened while the query ran
  if (auto it = index_.find(key); it != index_.end()) Erase(it->second);
  bytes_ += body.size() + key.size();
  lru_.push_front({key, std::make_shared<const std::string>(std::move(body)), generation,
                   std::chrono::steady_clock::now() + options_.ttl, nullptr});
  index_[key] = lru_.begin();
  EvictWhileOver();
  PublishSize();
}

std::shared_ptr<const std::string> QueryCache::CompressedOf(
    const std::string& key, const std::shared_ptr<const std::string>& body,
    const std::function<std::string(std::string_view)>& compress) {
  const auto same_entry = [&]() -> Entry* {
    auto it = index_.find(key);
    return it != index_.end() && it->second->body == body ? &*it->second : nullptr;
  };
  {
    std::lock_guard lock(mutex_);
    if (Entry* entry = same_entry(); entry && entry->compressed) return entry->compressed;
  }
  auto compressed = std::make_shared<const std::string>(compress(*body));
  std::lock_guard lock(mutex_);
  if (Entry* entry = same_entry(); entry && !entry->compressed) {
    entry->compressed = compressed;
    bytes_ += compressed->size();
    EvictWhileOver();
    PublishSize();
  }
  return compressed;
}

void QueryCache::EvictWhileOver() {
  while (!lru_.empty() && (lru_.size() > options_.max_entries || bytes_ > options_.max_bytes)) {
    Erase(std::prev(lru_.end()));
  }
}

void QueryCache::Erase(Lru::iterator it) {
  bytes_ -= it->body->size() + it->key.size() + (it->compressed ? it->compressed->size() : 0);
  index_.erase(it->key);
  lru_.erase(it);
}

void QueryCache::PublishSize() {
  size_entries_.Set(static_cast<double>(lru_.size()));
  size_bytes_.Set(static_cast<double>(bytes_));
}

}  // namespace dataplane::local_api
