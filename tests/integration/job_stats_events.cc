#include "job_stats_events.h"

#include <thread>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "harness.h"
#include "pg/maintenance.h"

namespace dataplane::testing {
namespace json = boost::json;

const char* const kStatsApps[3] = {"6f1c1a52-8d43-4b7e-9a55-0d1c2b3a4f5e",
                                   "0b7e3c1d-2f4a-4c5b-8d6e-7f8091a2b3c4",
                                   "9a8b7c6d-5e4f-4a3b-9c2d-1e0f2a3b4c5d"};

std::string ToJson(const StatsEvent& e) {
  json::object metrics;
  if (e.duration_s) metrics["duration_s"] = *e.duration_s;
  if (e.cpu_user_s) metrics["cpu_user_s"] = *e.cpu_user_s;
  if (e.cpu_system_s) metrics["cpu_system_s"] = *e.cpu_system_s;
  if (e.mem_max_mb) metrics["mem_max_mb"] = *e.mem_max_mb;
  json::object event{{"kind", e.kind}, {"at", core::FormatRfc3339(e.at)}};
  if (!e.status.empty()) event["status"] = e.status;
  if (!metrics.empty()) event["metrics"] = metrics;
  return json::serialize(json::object{
      {"idempotency_key", NewKey()},
      {"site_id", e.site},
      {"app", {{"app_id", kStatsApps[e.app]}, {"name", "app-" + std::to_string(e.app)}}},
      {"entity", {{"type", "job"}, {"id", e.job}}},
      {"event", event}});
}

void PostAll(const std::vector<StatsEvent>& events) {
  auto client = Harness::Get().Client();
  PostAll(events, client);
}

void PostAll(const std::vector<StatsEvent>& events, http::HttpClient& client) {
  for (std::size_t i = 0; i < events.size(); i += 100) {
    std::string body = "[";
    for (std::size_t j = i; j < std::min(events.size(), i + 100); ++j) {
      if (j > i) body += ",";
      body += ToJson(events[j]);
    }
    body += "]";
    auto reply = client.Post("/v1/events/batch", body);
    ASSERT_TRUE(reply.ok());
    ASSERT_EQ(reply->status, 200) << reply->body;
    ASSERT_NE(reply->body.find("\"rejected\":0"), std::string::npos) << reply->body;
  }
}

void Refresh() { Refresh(*Harness::Get().Db()); }

void Refresh(pg::Connection& db) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    if (pg::RefreshJobStats(db).size() == 4) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  FAIL() << "refresh_job_stats() never got its lock";
}

core::Micros HoursAgo(double hours) {
  return core::NowMicros() - static_cast<core::Micros>(hours * 3600 * core::kMicrosPerSecond);
}

}  // namespace dataplane::testing
