#pragma once
// Idle keep-alive connections by upstream, for the HTTP client (internal to async_client).
//
// Take(key) hands out the connection of `key` returned most recently, if it has been idle for
// less than `idle_timeout`; Put(key, c) keeps at most `max_idle` per key, closing (destroying)
// the oldest beyond that. Connections idle past the timeout are closed by the next Take or Put,
// of any key; Clear() closes all. A connection is in the pool or with one request, never both.
// Thread-safe (one mutex); connections are destroyed after it is released.
#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace dataplane::http::detail {

template <typename Key, typename Connection>
class IdlePool {
 public:
  using Clock = std::chrono::steady_clock;

  IdlePool(std::size_t max_idle, std::chrono::milliseconds idle_timeout)
      : max_idle_(max_idle), idle_timeout_(idle_timeout) {}

  //! A live idle connection of `key`, or null.
  std::unique_ptr<Connection> Take(const Key& key, Clock::time_point now = Clock::now()) {
    std::vector<std::unique_ptr<Connection>> closed;  // destroyed after the lock is released
    std::lock_guard lock(mu_);
    DropExpired(now, closed);
    auto it = idle_.find(key);
    if (it == idle_.end()) return nullptr;
    std::unique_ptr<Connection> connection = std::move(it->second.back().connection);
    it->second.pop_back();
    if (it->second.empty()) idle_.erase(it);
    return connection;
  }

  //! Keeps `connection` for a later Take(key), or closes it when `key` has `max_idle` already.
  void Put(const Key& key, std::unique_ptr<Connection> connection,
           Clock::time_point now = Clock::now()) {
    std::vector<std::unique_ptr<Connection>> closed;
    std::lock_guard lock(mu_);
    DropExpired(now, closed);
    if (max_idle_ == 0) {
      closed.push_back(std::move(connection));
      return;
    }
    auto& list = idle_[key];
    list.push_back({std::move(connection), now});
    if (list.size() > max_idle_) {
      closed.push_back(std::move(list.front().connection));
      list.pop_front();
    }
  }

  //! Closes every idle connection.
  void Clear() {
    std::map<Key, std::deque<Idle>> closed;
    std::lock_guard lock(mu_);
    closed.swap(idle_);
  }

  std::size_t size() const {
    std::lock_guard lock(mu_);
    std::size_t n = 0;
    for (const auto& [key, list] : idle_) n += list.size();
    return n;
  }

 private:
  struct Idle {
    std::unique_ptr<Connection> connection;
    Clock::time_point since;
  };

  // Called with mu_ held; the oldest of each list are at the front.
  void DropExpired(Clock::time_point now, std::vector<std::unique_ptr<Connection>>& closed) {
    for (auto it = idle_.begin(); it != idle_.end();) {
      auto& list = it->second;
      while (!list.empty() && now - list.front().since >= idle_timeout_) {
        closed.push_back(std::move(list.front().connection));
        list.pop_front();
      }
      it = list.empty() ? idle_.erase(it) : std::next(it);
    }
  }

  const std::size_t max_idle_;
  const std::chrono::milliseconds idle_timeout_;
  mutable std::mutex mu_;
  std::map<Key, std::deque<Idle>> idle_;  // guarded by mu_; newest at the back
};

}  // namespace dataplane::http::detail
