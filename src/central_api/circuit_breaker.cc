#include "central_api/circuit_breaker.h"

#include <algorithm>

namespace dataplane::central_api {

bool CircuitBreaker::Allow(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  switch (state_.state) {
    case State::kClosed:
      return true;
    case State::kHalfOpen:
      return false;
    case State::kOpen:
      if (now < state_.open_until) return false;
      state_.state = State::kHalfOpen;
      return true;
  }
  return true;
}

void CircuitBreaker::RecordSuccess() {
  std::lock_guard lock(mutex_);
  state_ = Snapshot{};
  backoff_ = std::chrono::milliseconds(0);
}

void CircuitBreaker::RecordFailure(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  ++state_.consecutive_failures;
  const bool probe_failed = state_.state != State::kClosed;
  if (!probe_failed && state_.consecutive_failures < options_.failure_threshold) return;
  backoff_ = probe_failed ? std::min(backoff_ * 2, options_.max_backoff) : options_.base_backoff;
  state_.state = State::kOpen;
  state_.open_until = now + backoff_;
}

CircuitBreaker::Snapshot CircuitBreaker::Get() const {
  std::lock_guard lock(mutex_);
  return state_;
}

std::string_view ToString(CircuitBreaker::State state) {
  switch (state) {
    case CircuitBreaker::State::kClosed:
      return "closed";
    case CircuitBreaker::State::kOpen:
      return "open";
    case CircuitBreaker::State::kHalfOpen:
      return "half_open";
  }
  return "closed";
}

}  // namespace dataplane::central_api
