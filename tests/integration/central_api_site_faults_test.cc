// The Central API against single test servers standing in for sites (issue 10): the circuit
// breaker, healthz with no site reachable, what every call to a site carries, and answers
// over SITE_MAX_ANSWER_BYTES.
#include <atomic>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "central_world.h"
#include "harness.h"
#include "http/testing/test_server.h"

namespace dataplane::testing {
namespace {
namespace json = boost::json;
using std::chrono::milliseconds;

json::value GetJson(http::HttpClient& client, const std::string& target,
                    int expected_status = 200) {
  auto reply = client.Get(target);
  EXPECT_TRUE(reply.ok()) << target;
  if (!reply.ok()) return nullptr;
  EXPECT_EQ(reply->status, expected_status) << target << " -> " << reply->body;
  return json::parse(reply->body);
}

const json::object& SiteReport(const json::value& answer, const std::string& site_id) {
  for (const json::value& report : answer.at("sites").as_array()) {
    if (report.at("site_id").as_string() == site_id) return report.as_object();
  }
  ADD_FAILURE() << "no report of " << site_id << " in " << json::serialize(answer);
  static const json::object none;
  return none;
}

TEST(CentralApiSiteFaults, TheCircuitOpensAfterRepeatedFailuresAndClosesWhenTheSiteAnswers) {
  http::testing::TestServer site;
  std::atomic<bool> healthy{false};
  site.SetHandler([&healthy](const http::HttpRequest& r) {
    if (!healthy) return JsonReply(r, http::status::internal_server_error, R"({"error":"down"})");
    return JsonReply(r, http::status::ok, R"({"items":[],"count":0,"next_cursor":null})");
  });
  central_api::CentralApiConfig config = CentralConfigFor("flaky=" + site.url());
  config.circuit.failure_threshold = 2;
  config.circuit.base_backoff = milliseconds(300);
  TestCentral central(config);
  ASSERT_TRUE(central.Start().ok());  // its first health probe fails: one failure
  http::HttpClient client("127.0.0.1", central.port());
  json::value first = GetJson(client, "/v1/jobs");  // the second failure opens the circuit
  EXPECT_EQ(SiteReport(first, "flaky").at("status"), "error");
  const int requests = site.requests();
  json::value skipped = GetJson(client, "/v1/jobs");
  EXPECT_EQ(SiteReport(skipped, "flaky").at("status"), "circuit_open");
  EXPECT_EQ(site.requests(), requests);  // not called
  json::value health = GetJson(client, "/v1/sites/health");
  EXPECT_EQ(health.at("sites").at(0).at("status"), "circuit_open");
  EXPECT_EQ(health.at("sites").at(0).at("circuit").at("state"), "open");

  healthy = true;
  std::this_thread::sleep_for(milliseconds(400));  // past the backoff: the next call probes
  json::value probe = GetJson(client, "/v1/jobs");
  EXPECT_EQ(SiteReport(probe, "flaky").at("status"), "ok");
  EXPECT_EQ(probe.at("partial"), false);
  EXPECT_EQ(GetJson(client, "/v1/sites/health").at("sites").at(0).at("circuit").at("state"),
            "closed");
}

TEST(CentralApiSiteFaults, HealthzIsDegradedWhenNoSiteAnswers) {
  TestCentral central(CentralConfigFor("a=" + SiteUrl(DeadPort()) + ",b=" + SiteUrl(DeadPort())));
  ASSERT_TRUE(central.Start().ok());
  http::HttpClient client("127.0.0.1", central.port());
  json::value healthz = GetJson(client, "/v1/healthz", 503);
  EXPECT_EQ(healthz.at("status"), "degraded");
  EXPECT_EQ(healthz.at("sites").at("reachable"), 0);
  json::value health = GetJson(client, "/v1/sites/health");
  EXPECT_EQ(health.at("sites").at(0).at("status"), "unreachable");
  EXPECT_EQ(health.at("sites").at(0).at("consecutive_failures"), 1);
}

TEST(CentralApiSiteFaults, TheTraceAndTheSiteTokenAreSentToTheSites) {
  http::testing::TestServer site;
  std::mutex mutex;
  std::vector<std::pair<std::string, std::string>> seen;  // traceparent, authorization
  site.SetHandler([&](const http::HttpRequest& r) {
    std::lock_guard lock(mutex);
    seen.emplace_back(std::string(r["traceparent"]), std::string(r["authorization"]));
    return JsonReply(r, http::status::ok, R"({"items":[],"count":0,"next_cursor":null})");
  });
  central_api::CentralApiConfig config = CentralConfigFor("s=" + site.url());
  config.site_token = "secret-token";
  TestCentral central(config);
  ASSERT_TRUE(central.Start().ok());
  http::HttpClient client("127.0.0.1", central.port());
  const std::string trace = "4bf92f3577b34da6a3ce929d0e0e4736";
  auto reply = client.Request("GET", "/v1/jobs", "", "",
                              {{"traceparent", "00-" + trace + "-00f067aa0ba902b7-01"}});
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->status, 200);
  std::lock_guard lock(mutex);
  ASSERT_FALSE(seen.empty());
  const auto& [traceparent, authorization] = seen.back();
  EXPECT_EQ(traceparent.substr(0, 36), "00-" + trace + "-");
  EXPECT_NE(traceparent.substr(36, 16), "00f067aa0ba902b7");  // the Central API's own span
  EXPECT_EQ(authorization, "Bearer secret-token");
}

TEST(CentralApiSiteFaults, AnAnswerOverTheSizeLimitIsABadAnswer) {
  // One item of ~8 KiB: under the limit alone, over it once the site answers with it.
  const std::string item = R"({"job_id":"6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b",)"
                           R"("last_event_at":"2026-12-01T10:00:00Z","note":")" +
                           std::string(8192, 'x') + "\"}";
  http::testing::TestServer big, small;
  big.SetHandler([&](const http::HttpRequest& r) {
    return JsonReply(r, http::status::ok,
                     R"({"items":[)" + item + R"(],"count":1,"next_cursor":null})");
  });
  small.SetHandler([](const http::HttpRequest& r) {
    return JsonReply(r, http::status::ok, R"({"items":[],"count":0,"next_cursor":null})");
  });
  central_api::CentralApiConfig config =
      CentralConfigFor("big=" + big.url() + ",small=" + small.url());
  config.max_answer_bytes = 4096;
  TestCentral central(config);
  ASSERT_TRUE(central.Start().ok());
  http::HttpClient client("127.0.0.1", central.port());

  json::value answer = GetJson(client, "/v1/jobs");
  EXPECT_EQ(answer.at("partial"), true);
  EXPECT_EQ(answer.at("count"), 0);
  const json::object& report = SiteReport(answer, "big");
  EXPECT_EQ(report.at("status"), "bad_answer") << json::serialize(report);
  EXPECT_NE(std::string(report.at("message").as_string()).find("4096"), std::string::npos)
      << json::serialize(report);
  EXPECT_EQ(SiteReport(answer, "small").at("status"), "ok");
  GetJson(client, "/v1/jobs?partial_response=false", 502);
}

}  // namespace
}  // namespace dataplane::testing
