#pragma once
// A validated lifecycle event (SPEC §2), ready to be written. Produced only by ParseEvent,
// so every field already satisfies the rules: UUIDs canonical lower case, time in range,
// status resolved from the kind's default, metadata a JSON object without NUL characters.
#include <optional>
#include <string>
#include <string_view>

#include "api/lifecycle.h"
#include "core/time.h"

namespace dataplane::ingest {

struct Event {
  std::string idempotency_key;
  std::string site_id;
  std::string app_id;  // canonical UUID text
  std::string app_name;
  std::optional<std::string> app_version;
  api::EntityType entity_type = api::EntityType::kJob;
  std::string entity_id;                 // canonical UUID text
  std::optional<std::string> parent_id;  // canonical UUID text; required for subjobs
  std::optional<std::string> business_key;
  std::optional<std::string> sub_key;
  api::EventKind kind = api::EventKind::kStarted;
  api::JobStatus status = api::JobStatus::kRunning;
  core::Micros at = 0;
  std::optional<double> duration_s;
  std::optional<double> cpu_user_s;
  std::optional<double> cpu_system_s;
  std::optional<double> mem_max_mb;
  std::string metadata_json;  // a serialized JSON object, "{}" when absent
  std::string payload_json;   // the whole event as received, re-serialized
};

}  // namespace dataplane::ingest
