// While PostgreSQL is down the Local API answers quickly: healthz 503 "degraded", ingest and
// queries 503 with Retry-After (never 500, never a hang); when it is back, everything works
// again without a restart of the API.
#include <chrono>
#include <thread>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include "harness.h"

namespace dataplane::testing {
namespace {
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

// Polls healthz until it reports `status`; every answer must come within 1 s.
bool WaitForHealth(const std::string& status, int expected_code, std::chrono::seconds limit) {
  const auto deadline = Clock::now() + limit;
  while (Clock::now() < deadline) {
    auto client = Harness::Get().Client();
    const auto started = Clock::now();
    auto reply = client.Get("/v1/healthz");
    EXPECT_LT(Clock::now() - started, std::chrono::seconds(1)) << "healthz took too long";
    if (reply.ok() && reply->status == expected_code &&
        json::parse(reply->body).at("status").as_string() == status) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return false;
}

TEST(DatabaseOutage, ApiDegradesWithRetryableAnswersAndRecovers) {
  ASSERT_TRUE(WaitForHealth("ok", 200, std::chrono::seconds(5)));
  {
    auto client = Harness::Get().Client();
    ASSERT_EQ(client.Post("/v1/event", MakeEvent({.id = NewUuid()}))->status, 200);
  }

  ASSERT_TRUE(Harness::Get().cluster().Stop().ok());
  EXPECT_TRUE(WaitForHealth("degraded", 503, std::chrono::seconds(10)));

  const std::string job = NewUuid();
  for (const char* target : {"/v1/event", "/v1/jobs"}) {
    auto client = Harness::Get().Client();
    const auto started = Clock::now();
    auto reply = std::string(target) == "/v1/event" ? client.Post(target, MakeEvent({.id = job}))
                                                    : client.Get(target);
    ASSERT_TRUE(reply.ok()) << target;
    EXPECT_EQ(reply->status, 503) << target << ": " << reply->body;
    EXPECT_FALSE(reply->headers["retry-after"].empty()) << target;
    EXPECT_TRUE(json::parse(reply->body).at("retryable").as_bool()) << target;
    EXPECT_LT(Clock::now() - started, std::chrono::seconds(5)) << target;
  }

  ASSERT_TRUE(Harness::Get().cluster().Start().ok());
  EXPECT_TRUE(WaitForHealth("ok", 200, std::chrono::seconds(15)));
  // Broken pooled and writer connections are replaced on demand.
  bool ingested = false;
  for (int attempt = 0; attempt < 20 && !ingested; ++attempt) {
    auto client = Harness::Get().Client();
    ingested = client.Post("/v1/event", MakeEvent({.id = job}))->status == 200;
    if (!ingested) std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  EXPECT_TRUE(ingested);
  auto client = Harness::Get().Client();
  EXPECT_EQ(client.Get("/v1/jobs/" + job)->status, 200);
}

}  // namespace
}  // namespace dataplane::testing
