#pragma once
// A validated lifecycle event (SPEC §2), ready to be written. Produced only by ParseEvent,
// so every field already satisfies the rules: UUIDs canonical lower case, time in range,
// status resolved from the kind's default, metadata a JSON object without NUL characters.
#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"

namespace dataplane::ingest {

enum class EntityType { kJob, kSubjob };
enum class EventKind { kStarted, kProgress, kMetric, kFinished, kError, kCanceled };
enum class JobStatus { kRunning, kSucceeded, kFailed, kCanceled };

std::string_view ToString(EntityType type);
std::string_view ToString(EventKind kind);
std::string_view ToString(JobStatus status);
std::optional<EventKind> ParseEventKind(std::string_view text);
std::optional<JobStatus> ParseJobStatus(std::string_view text);
// started/progress/metric → running, error → failed, canceled → canceled; finished has none.
std::optional<JobStatus> DefaultStatus(EventKind kind);

struct Event {
  std::string idempotency_key;
  std::string site_id;
  std::string app_id;  // canonical UUID text
  std::string app_name;
  std::optional<std::string> app_version;
  EntityType entity_type = EntityType::kJob;
  std::string entity_id;                 // canonical UUID text
  std::optional<std::string> parent_id;  // canonical UUID text; required for subjobs
  std::optional<std::string> business_key;
  std::optional<std::string> sub_key;
  EventKind kind = EventKind::kStarted;
  JobStatus status = JobStatus::kRunning;
  core::Micros at = 0;
  std::optional<double> duration_s;
  std::optional<double> cpu_user_s;
  std::optional<double> cpu_system_s;
  std::optional<double> mem_max_mb;
  std::string metadata_json;  // a serialized JSON object, "{}" when absent
  std::string payload_json;   // the whole event as received, re-serialized
};

}  // namespace dataplane::ingest
