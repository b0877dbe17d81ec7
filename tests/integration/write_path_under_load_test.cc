// The write path under concurrency: parallel writers touching the same jobs never deadlock
// and count every event exactly; a full ingest queue answers 503 + Retry-After at once; the
// query cache never hides an acknowledged write.
#include <random>
#include <thread>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include "harness.h"

namespace dataplane::testing {
namespace {
namespace json = boost::json;

std::unique_ptr<TestApi> StartApi(const std::function<void(local_api::LocalApiConfig&)>& change) {
  local_api::LocalApiConfig config = Harness::Get().ApiConfig();
  change(config);
  auto api = std::make_unique<TestApi>(config);
  EXPECT_TRUE(api->Start().ok());
  return api;
}

TEST(WritePathUnderLoad, ParallelWritersOnTheSameJobsNeverDeadlock) {
  auto api = StartApi([](local_api::LocalApiConfig& c) {
    c.ingest_writers = 4;
    c.http_threads = 4;
  });
  std::vector<std::string> jobs;
  for (int i = 0; i < 20; ++i) jobs.push_back(NewUuid());
  constexpr int kSenders = 8, kBatches = 10, kPerBatch = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> senders;
  for (int s = 0; s < kSenders; ++s) {
    senders.emplace_back([&, s] {
      std::mt19937 rng(s);
      http::HttpClient client("127.0.0.1", api->port(), std::chrono::seconds(30));
      for (int b = 0; b < kBatches; ++b) {
        std::string batch = "[";
        for (int e = 0; e < kPerBatch; ++e) {
          const std::string& job = jobs[rng() % jobs.size()];
          batch += (e ? "," : "") + MakeEvent({.id = job,
                                               .kind = "progress",
                                               .at = AtOffset(-static_cast<double>(rng() % 600))});
        }
        auto reply = client.Post("/v1/events/batch", batch + "]");
        if (!reply.ok() || reply->status != 200) {
          ++failures;
          ADD_FAILURE() << (reply.ok() ? reply->body : reply.error().message);
        }
      }
    });
  }
  for (auto& t : senders) t.join();
  EXPECT_EQ(failures.load(), 0);
  std::string in_list = "'" + jobs[0] + "'";
  for (std::size_t i = 1; i < jobs.size(); ++i) in_list += ",'" + jobs[i] + "'";
  EXPECT_EQ(
      Harness::Get().Scalar("SELECT sum(event_count) FROM job WHERE job_id IN (" + in_list + ")"),
      std::to_string(kSenders * kBatches * kPerBatch));
  EXPECT_EQ(
      Harness::Get().Scalar("SELECT count(*) FROM event WHERE entity_id IN (" + in_list + ")"),
      std::to_string(kSenders * kBatches * kPerBatch));
  api->Stop();
}

TEST(WritePathUnderLoad, FullQueueAnswers503AtOnceAndLosesNothingAcknowledged) {
  auto api = StartApi([](local_api::LocalApiConfig& c) {
    c.ingest_writers = 1;
    c.ingest_queue_max_events = 1;
    c.ingest_group_wait_us = 200000;  // the writer holds its group open: the queue stays full
  });
  std::atomic<int> ok{0}, refused{0}, other{0};
  std::vector<std::string> acknowledged_jobs[8];
  std::vector<std::thread> senders;
  for (int s = 0; s < 8; ++s) {
    senders.emplace_back([&, s] {
      http::HttpClient client("127.0.0.1", api->port(), std::chrono::seconds(30));
      for (int i = 0; i < 5; ++i) {
        const std::string job = NewUuid();
        auto reply = client.Post("/v1/event", MakeEvent({.id = job}));
        if (!reply.ok()) {
          ++other;
        } else if (reply->status == 200) {
          ++ok;
          acknowledged_jobs[s].push_back(job);
        } else if (reply->status == 503 && !reply->headers["retry-after"].empty() &&
                   json::parse(reply->body).at("code").as_string() == "overloaded") {
          ++refused;
        } else {
          ++other;
        }
      }
    });
  }
  for (auto& t : senders) t.join();
  EXPECT_GT(ok.load(), 0);
  EXPECT_GT(refused.load(), 0);
  EXPECT_EQ(other.load(), 0);
  for (const auto& jobs : acknowledged_jobs) {
    for (const std::string& job : jobs) {
      EXPECT_EQ(Harness::Get().Scalar("SELECT count(*) FROM event WHERE entity_id = '" + job + "'"),
                "1");
    }
  }
  api->Stop();
}

TEST(WritePathUnderLoad, CachedAnswersNeverHideAnAcknowledgedWrite) {
  auto api = StartApi([](local_api::LocalApiConfig& c) { c.cache_ttl_s = 60; });
  http::HttpClient client("127.0.0.1", api->port(), std::chrono::seconds(10));
  const std::string lot = "lot-" + NewUuid();
  const std::string target = "/v1/jobs?job_key=" + lot;
  for (int round = 1; round <= 3; ++round) {
    ASSERT_EQ(client.Get(target)->status, 200);
    ASSERT_EQ(client.Post("/v1/event", MakeEvent({.id = NewUuid(), .business_key = lot}))->status,
              200);
    // Asked right after the 200: the answer includes the new job.
    EXPECT_EQ(json::parse(client.Get(target)->body).at("count").as_int64(), round);
  }
  ASSERT_EQ(client.Get(target)->status, 200);  // cached now
  const std::string metrics = client.Get("/metrics")->body;
  EXPECT_NE(metrics.find("dataplane_cache_lookups_total{service=\"local_api\",result=\"hit\"}"),
            std::string::npos)
      << metrics;
  api->Stop();
}

}  // namespace
}  // namespace dataplane::testing
