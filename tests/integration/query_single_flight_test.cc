// Concurrent requests for one answer that is not cached run one query (single flight): while a
// lock holds the first request's query, the others wait for its answer instead of running the
// same query, and all get the same 200 once the lock is released.
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "harness.h"

namespace dataplane::testing {
namespace {
using namespace std::chrono_literals;

std::string MetricValue(const std::string& metrics, const std::string& series) {
  const std::size_t at = metrics.find(series + " ");
  if (at == std::string::npos) return "";
  const std::size_t start = at + series.size() + 1;
  return metrics.substr(start, metrics.find('\n', start) - start);
}

// Polls until `done()` holds, for at most 10 s.
bool Eventually(const std::function<bool()>& done) {
  for (int i = 0; i < 200; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return done();
}

TEST(QuerySingleFlight, ConcurrentMissesOfOneAnswerRunOneQuery) {
  local_api::LocalApiConfig config = Harness::Get().ApiConfig();
  config.cache_ttl_s = 0;  // no cache at all: every request would otherwise run its own query
  TestApi api(config);
  ASSERT_TRUE(api.Start().ok());
  const std::string lot = "lot-" + NewUuid();
  http::HttpClient ingest("127.0.0.1", api.port(), 10s);
  ASSERT_EQ(ingest.Post("/v1/event", MakeEvent({.id = NewUuid(), .business_key = lot}))->status,
            200);
  const std::string target = "/v1/jobs?job_key=" + lot;

  auto lock = Harness::Get().Db();
  lock->Exec("BEGIN");
  lock->Exec("LOCK TABLE job IN ACCESS EXCLUSIVE MODE");
  constexpr int kRequests = 5;
  std::vector<std::future<std::pair<int, std::string>>> answers;
  for (int i = 0; i < kRequests; ++i) {
    answers.push_back(std::async(std::launch::async, [&] {
      http::HttpClient client("127.0.0.1", api.port(), 30s);
      auto reply = client.Get(target);
      return reply ? std::make_pair(reply->status, reply->body) : std::make_pair(0, std::string());
    }));
  }
  http::HttpClient observer("127.0.0.1", api.port(), 10s);
  const std::string shared_series = "dataplane_cache_shared_total{service=\"local_api\"}";
  EXPECT_TRUE(Eventually([&] {
    return MetricValue(observer.Get("/metrics")->body, shared_series) ==
           std::to_string(kRequests - 1);
  })) << observer.Get("/metrics")->body;
  // One of the five is in the database (waiting for the lock); the others wait for its answer.
  const std::string waiting_sql =
      "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE "
      "'%job_key%' AND application_name = 'dataplane-local-api'";
  EXPECT_TRUE(Eventually([&] { return Harness::Get().Scalar(waiting_sql) == "1"; }));
  std::this_thread::sleep_for(200ms);  // time for a second query to show, were there one
  EXPECT_EQ(Harness::Get().Scalar(waiting_sql), "1");
  lock->Exec("COMMIT");

  std::string first_body;
  for (auto& answer : answers) {
    auto [status, body] = answer.get();
    EXPECT_EQ(status, 200) << body;
    EXPECT_NE(body.find(lot), std::string::npos) << body;
    if (first_body.empty()) first_body = body;
    EXPECT_EQ(body, first_body);
  }
  api.Stop();
}

}  // namespace
}  // namespace dataplane::testing
