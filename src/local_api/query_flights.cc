#include "local_api/query_flights.h"

#include <vector>

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace dataplane::local_api {
namespace asio = boost::asio;

class QueryFlights::Flight {
 public:
  explicit Flight(std::uint64_t generation) : generation_(generation) {}

  std::uint64_t generation() const { return generation_; }

  // Stores the answer and wakes the waiters, each on its own executor.
  void Complete(Answer answer) {
    std::vector<std::shared_ptr<asio::steady_timer>> waiters;
    {
      std::lock_guard lock(mutex_);
      answer_ = std::move(answer);
      waiters.swap(waiters_);
    }
    for (auto& timer : waiters) {
      asio::post(timer->get_executor(), [timer] { timer->cancel(); });
    }
  }

  // The answer if there is one; else registers `timer` to be cancelled when it comes.
  std::optional<Answer> AnswerOrWaitWith(const std::shared_ptr<asio::steady_timer>& timer) {
    std::lock_guard lock(mutex_);
    if (answer_) return *answer_;
    waiters_.push_back(timer);
    return std::nullopt;
  }

  std::optional<Answer> AnswerIfAny() const {
    std::lock_guard lock(mutex_);
    return answer_;
  }

 private:
  const std::uint64_t generation_;
  mutable std::mutex mutex_;
  std::optional<Answer> answer_;                              // guarded by mutex_
  std::vector<std::shared_ptr<asio::steady_timer>> waiters_;  // guarded by mutex_
};

QueryFlights::QueryFlights(const metrics::Scope& metrics)
    : followers_(metrics
                     .AddCounter("dataplane_cache_shared_total",
                                 "Query cache misses answered by the query that another request "
                                 "was already running for the same answer (single flight).",
                                 {})
                     .WithLabels({})) {}

QueryFlights::Ticket QueryFlights::Join(const std::string& key, std::uint64_t generation) {
  std::lock_guard lock(mutex_);
  auto [it, fresh] = in_flight_.try_emplace(key);
  if (!fresh && it->second->generation() == generation) {
    followers_.Inc();
    return Ticket{it->second, false};
  }
  it->second = std::make_shared<Flight>(generation);
  return Ticket{it->second, true};
}

void QueryFlights::Finish(const std::string& key, const Ticket& ticket, Answer answer) {
  {
    std::lock_guard lock(mutex_);
    auto it = in_flight_.find(key);
    if (it != in_flight_.end() && it->second == ticket.flight) in_flight_.erase(it);
  }
  ticket.flight->Complete(std::move(answer));
}

asio::awaitable<std::optional<QueryFlights::Answer>> QueryFlights::Wait(
    std::shared_ptr<Flight> flight, std::chrono::steady_clock::time_point deadline) {
  auto timer = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor, deadline);
  if (auto answer = flight->AnswerOrWaitWith(timer)) co_return answer;
  // Woken by the leader's Complete (a cancel posted to this executor) or by the deadline.
  boost::system::error_code ignored;
  co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  co_return flight->AnswerIfAny();
}

std::size_t QueryFlights::size() const {
  std::lock_guard lock(mutex_);
  return in_flight_.size();
}

QueryFlights::Leader::~Leader() {
  if (!finished_) {
    flights_.Finish(key_, ticket_,
                    core::Error::Unavailable(
                        "the same query, run for another request, did not complete; retry"));
  }
}

void QueryFlights::Leader::Finish(Answer answer) {
  finished_ = true;
  flights_.Finish(key_, ticket_, std::move(answer));
}

}  // namespace dataplane::local_api
