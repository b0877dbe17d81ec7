#pragma once
// Turns request bodies into validated Events, applying every rule of SPEC §2. Pure functions:
// no I/O, safe from any thread. Each refusal is a core::Error of kind kInvalidInput whose
// `field` names the offending field (e.g. "event.at") and whose `code` is machine-readable
// (missing_field, wrong_type, invalid_uuid, invalid_time, event_in_future, event_too_old, …).
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "core/error.h"
#include "core/time.h"
#include "ingest/event.h"

namespace dataplane::ingest {

struct ValidationLimits {
  core::Micros max_future_skew = 300 * core::kMicrosPerSecond;  // MAX_FUTURE_SKEW_S
  int max_event_age_days = 30;                                  // MAX_EVENT_AGE_DAYS
  std::size_t max_metadata_bytes = 64 * 1024;
  std::size_t max_batch_events = 10000;  // MAX_BATCH_EVENTS (413 past it)
};

//! One event from a JSON value (an element of a batch, or a parsed single body).
core::Result<Event> EventFromJson(const boost::json::value& value, const ValidationLimits& limits,
                                  core::Micros now);

//! One event from a request body; syntax errors are 400-class, rule violations 422-class.
core::Result<Event> ParseEvent(std::string_view body, const ValidationLimits& limits,
                               core::Micros now);

//! A batch body: a JSON array, or NDJSON (one event per non-blank line) when `ndjson`.
//! The outer Result fails for the whole request (malformed array, too many items); each
//! inner Result is one item's outcome, in order.
core::Result<std::vector<core::Result<Event>>> ParseBatch(std::string_view body, bool ndjson,
                                                          const ValidationLimits& limits,
                                                          core::Micros now);

}  // namespace dataplane::ingest
