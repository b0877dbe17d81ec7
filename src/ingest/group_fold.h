#pragma once
// The reduction of one group's fresh events (those whose keys were new) in the writer, before
// PostgreSQL sees them: one state row per entity, one row per app, one first time per job. The
// SQL then only merges each row with the stored one (group_write.cc), by the same rules.
//
// Order of a group's events: by `at`, then a terminal status after `running` at the same time,
// then arrival (their place in the group) — SPEC §2's "newest wins, terminal wins ties, later
// arrival wins the rest". Per entity (type and id):
// - the newest event gives status, kind, time, site, app, parent and sub_key;
// - started_at is the earliest `started` event's time;
// - job_key and each metric are the newest non-null value (older events fill what newer lack);
// - metadata is every event's metadata merged oldest first (a newer key replaces an older one,
//   as jsonb's `||` does), so that a batch gives the state its events give one by one.
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "ingest/event.h"

namespace dataplane::ingest {

struct EntityState {
  const Event* latest = nullptr;
  int event_count = 0;
  std::optional<core::Micros> started_at;
  std::optional<std::string> job_key;
  std::optional<double> duration_s;
  std::optional<double> cpu_user_s;
  std::optional<double> cpu_system_s;
  std::optional<double> mem_max_mb;
  std::string metadata_json;
};

//! One state per entity of `fresh` (in arrival order), sorted by entity type then id.
std::vector<EntityState> FoldByEntity(const std::vector<const Event*>& fresh);

//! Per app id, the event whose name and version stand: the newest by `at`, then arrival.
//! Sorted by app id.
std::vector<const Event*> LatestAppEvents(const std::vector<const Event*>& fresh);

struct JobFirstTime {
  std::string job_id;
  core::Micros at = 0;
};

//! Per job (a job event's id, a subjob event's parent), the earliest `at` of the group's events
//! that belong to it: where a job new to the database is anchored. Sorted by job id.
std::vector<JobFirstTime> JobFirstTimes(const std::vector<const Event*>& fresh);

//! The JSON object text `older` with the members of `newer` merged in (newer keys replace older
//! ones; both are JSON objects).
std::string MergeMetadata(const std::string& older, const std::string& newer);

}  // namespace dataplane::ingest
