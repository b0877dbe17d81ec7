#pragma once
// EventGenerator: simulated tools at one or more sites, producing job and subjob lifecycles as
// JSON events in the SPEC §2 format (the body of POST /v1/event).
//
// Contract:
// - Each site runs a handful of apps (e.g. "litho-scan" 1.4.2); an app's app_id is a UUID fixed
//   by its name, the same in every generator and every run.
// - A job's lifecycle is: `started`, then per wafer a subjob (entity.type "subjob", parent_id =
//   the job id, sub_key "wafer-07") with `started` and a terminal event, a few job `progress` /
//   `metric` events in between, and a terminal job event: `finished`/succeeded (~85%), failed
//   (~10%, as `finished`/failed or as kind `error`) or kind `canceled` (~5%). A failed or
//   canceled job stops at the wafer where it failed. Terminal events carry the metrics
//   duration_s, cpu_user_s, cpu_system_s, mem_max_mb.
// - Next() returns the next event of one of many in-flight jobs, so lifecycles interleave; every
//   event has a fresh UUIDv4 idempotency_key, and event.at is the current time (strictly
//   increasing within one generator, so a job's events are in order).
// - All ids come from a std::mt19937_64 seeded with `seed`: the same seed and site list give the
//   same sequence of ids and contents (only event.at differs). Use different seeds for
//   generators whose events must not collide.
// - Not thread-safe: use one generator per thread.
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/uuid.h"

namespace dataplane::loadgen {

class EventGenerator {
 public:
  //! `site_ids` empty means {"fab1"}.
  EventGenerator(std::vector<std::string> site_ids, std::uint64_t seed);
  ~EventGenerator();
  EventGenerator(EventGenerator&&) noexcept;
  EventGenerator& operator=(EventGenerator&&) noexcept;

  //! The next event of some in-flight lifecycle, as a JSON object text.
  std::string Next();

  //! A JSON array of the next `n` events.
  std::string NextBatch(std::size_t n);

  //! Jobs begun so far, in flight or done (a begun job's `started` may still be pending).
  std::uint64_t jobs_started() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

//! A random RFC 4122 version-4 UUID drawn from `rng`.
core::Uuid RandomUuidV4(std::mt19937_64& rng);

}  // namespace dataplane::loadgen
