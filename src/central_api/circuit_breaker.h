#pragma once
// The circuit breaker of one site: a site that fails repeatedly is skipped at once instead of
// costing every request its timeout, and is tried again with a growing backoff.
//
//   closed     every call goes; `failure_threshold` consecutive failures open the circuit.
//   open       no call goes until `open_until` (the backoff: base_backoff, doubled on each
//              failed probe, at most max_backoff); then the first call to ask is the probe.
//   half_open  the probe is in flight; no other call goes. Its success closes the circuit
//              (failures and backoff reset), its failure opens it again.
// Successes reset the count of consecutive failures. The health poller's probes count like
// calls (a site that answers its health check again closes its circuit). Thread-safe; the time
// is passed in so that tests need no clock.
#include <chrono>
#include <mutex>
#include <string_view>

namespace dataplane::central_api {

struct CircuitOptions {
  int failure_threshold = 3;
  std::chrono::milliseconds base_backoff{std::chrono::seconds(5)};
  std::chrono::milliseconds max_backoff{std::chrono::seconds(60)};
};

class CircuitBreaker {
 public:
  using Clock = std::chrono::steady_clock;
  enum class State { kClosed, kOpen, kHalfOpen };
  struct Snapshot {
    State state = State::kClosed;
    int consecutive_failures = 0;
    Clock::time_point open_until{};
  };

  explicit CircuitBreaker(CircuitOptions options = {}) : options_(options) {}

  //! Whether a call may go now (see above); a true answer in the open state makes that call
  //! the probe, which must be followed by RecordSuccess or RecordFailure.
  bool Allow(Clock::time_point now);
  void RecordSuccess();
  void RecordFailure(Clock::time_point now);
  Snapshot Get() const;

 private:
  const CircuitOptions options_;
  mutable std::mutex mutex_;
  Snapshot state_;
  std::chrono::milliseconds backoff_{0};
};

//! "closed", "open", "half_open".
std::string_view ToString(CircuitBreaker::State state);

}  // namespace dataplane::central_api
