#pragma once
// QueryFlights: a cache miss computed once for all the concurrent requests of the same key
// (single flight), so that an answer many clients ask for costs one query when its cache entry
// expires, not one per client, and its expiry makes no latency spike.
//
// Join(key, generation), with the QueryCache generation the caller took before it would start
// its query, makes the caller the key's leader when no computation of that key is in flight at
// that generation, else a follower of the one in flight. A follower therefore only shares a
// computation that started after every commit it can have been acknowledged for: the shared
// answer never hides a write the client already got a 200 for. A computation of an older
// generation is left to finish for its own followers; the newer one replaces it for later ones.
//
// The leader answers through Finish(answer) exactly once, also on failure (the error is the
// followers' answer too); a Leader guard does it for a leader that leaves without an answer.
// A follower co_awaits Wait(deadline): the leader's answer, or nullopt when its deadline passes
// first. Followers are counted in dataplane_cache_shared_total. Thread-safe: leaders and
// followers may run on any executor.
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include <boost/asio/awaitable.hpp>

#include "core/error.h"
#include "metrics/scope.h"

namespace dataplane::local_api {

class QueryFlights {
 public:
  using Answer = core::Result<std::string>;
  class Flight;

  struct Ticket {
    std::shared_ptr<Flight> flight;
    bool leader = false;
  };

  explicit QueryFlights(const metrics::Scope& metrics);

  Ticket Join(const std::string& key, std::uint64_t generation);
  //! The leader's answer: wakes every follower of `ticket`'s flight and ends it.
  void Finish(const std::string& key, const Ticket& ticket, Answer answer);
  //! A follower's wait for the leader's answer; nullopt past `deadline`.
  static boost::asio::awaitable<std::optional<Answer>> Wait(
      std::shared_ptr<Flight> flight, std::chrono::steady_clock::time_point deadline);

  //! Computations in flight (for tests).
  std::size_t size() const;

  // Finishes a leader's flight with an error if it is left before Finish (an exception).
  class Leader {
   public:
    Leader(QueryFlights& flights, std::string key, Ticket ticket)
        : flights_(flights), key_(std::move(key)), ticket_(std::move(ticket)) {}
    ~Leader();
    Leader(const Leader&) = delete;
    Leader& operator=(const Leader&) = delete;
    void Finish(Answer answer);

   private:
    QueryFlights& flights_;
    std::string key_;
    Ticket ticket_;
    bool finished_ = false;
  };

 private:
  metrics::Counter& followers_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<Flight>> in_flight_;  // guarded by mutex_
};

}  // namespace dataplane::local_api
