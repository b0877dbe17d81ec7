#pragma once
// The lifecycle vocabulary of SPEC §2, shared by ingest (what an event says), the read APIs
// (what a filter asks for) and the Central API: entity types, event kinds, job statuses, their
// wire names, and the status each kind implies.
#include <optional>
#include <string_view>

namespace dataplane::api {

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

}  // namespace dataplane::api
