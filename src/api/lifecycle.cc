#include "api/lifecycle.h"

namespace dataplane::api {

std::string_view ToString(EntityType type) { return type == EntityType::kJob ? "job" : "subjob"; }

std::string_view ToString(EventKind kind) {
  switch (kind) {
    case EventKind::kStarted:
      return "started";
    case EventKind::kProgress:
      return "progress";
    case EventKind::kMetric:
      return "metric";
    case EventKind::kFinished:
      return "finished";
    case EventKind::kError:
      return "error";
    case EventKind::kCanceled:
      return "canceled";
  }
  return "started";
}

std::string_view ToString(JobStatus status) {
  switch (status) {
    case JobStatus::kRunning:
      return "running";
    case JobStatus::kSucceeded:
      return "succeeded";
    case JobStatus::kFailed:
      return "failed";
    case JobStatus::kCanceled:
      return "canceled";
  }
  return "running";
}

std::optional<EventKind> ParseEventKind(std::string_view text) {
  for (EventKind k : {EventKind::kStarted, EventKind::kProgress, EventKind::kMetric,
                      EventKind::kFinished, EventKind::kError, EventKind::kCanceled}) {
    if (ToString(k) == text) return k;
  }
  return std::nullopt;
}

std::optional<JobStatus> ParseJobStatus(std::string_view text) {
  for (JobStatus s :
       {JobStatus::kRunning, JobStatus::kSucceeded, JobStatus::kFailed, JobStatus::kCanceled}) {
    if (ToString(s) == text) return s;
  }
  return std::nullopt;
}

std::optional<JobStatus> DefaultStatus(EventKind kind) {
  switch (kind) {
    case EventKind::kStarted:
    case EventKind::kProgress:
    case EventKind::kMetric:
      return JobStatus::kRunning;
    case EventKind::kError:
      return JobStatus::kFailed;
    case EventKind::kCanceled:
      return JobStatus::kCanceled;
    case EventKind::kFinished:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace dataplane::api
