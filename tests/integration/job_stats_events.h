#pragma once
// Shared by the job statistics tests: jobs' events with every field the statistics read,
// posted through the real batch endpoint, and the refresh the scheduler would run.
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "http/client.h"
#include "pg/connection.h"

namespace dataplane::testing {

// Three apps, index 0..2 (app names "app-0" … "app-2").
extern const char* const kStatsApps[3];

struct StatsEvent {
  std::string site = {};
  std::string job = {};
  int app = 0;
  std::string kind = "started";
  std::string status = {};  // empty: the kind's default
  core::Micros at = 0;
  std::optional<double> duration_s = {};
  std::optional<double> cpu_user_s = {};
  std::optional<double> cpu_system_s = {};
  std::optional<double> mem_max_mb = {};
};

std::string ToJson(const StatsEvent& event);
//! Posts in batches of 100 to the harness's Local API; every event must be accepted (gtest
//! assertions).
void PostAll(const std::vector<StatsEvent>& events);
//! The same to the Local API `client` talks to.
void PostAll(const std::vector<StatsEvent>& events, http::HttpClient& client);
//! refresh_job_stats(), retried while the scheduler of another Local API holds its lock.
void Refresh();
//! The same on the database `db`.
void Refresh(pg::Connection& db);
core::Micros HoursAgo(double hours);

}  // namespace dataplane::testing
