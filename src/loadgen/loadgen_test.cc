// RunLoadgen and DemoWorkload against a fake ingest server (the shared HTTP test server).
#include "loadgen/loadgen.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <thread>

#include "http/testing/test_server.h"

namespace dataplane::loadgen {
namespace {

namespace json = boost::json;
using http::HttpRequest;
using http::HttpResponse;
using http::testing::TestServer;
using http::testing::UnusedLocalPort;
using Clock = std::chrono::steady_clock;

// Answers POST /v1/event and /v1/events/batch like the Local API; every third single event is
// a duplicate; the first `busy` requests get 503 with Retry-After: 0.
class FakeIngest {
 public:
  explicit FakeIngest(int busy = 0, unsigned short port = 0)
      : busy_(busy), server_({.port = port}) {
    server_.SetHandler([this](const HttpRequest& request) { return Handle(request); });
  }
  std::string url() const { return server_.url(); }
  int requests() const { return requests_.load(); }
  int events() const { return events_.load(); }

 private:
  HttpResponse Handle(const HttpRequest& req) {
    HttpResponse res{http::status::ok, 11};
    res.set(http::field::content_type, "application/json");
    const int n = ++requests_;
    if (n <= busy_) {
      res.result(http::status::service_unavailable);
      res.set(http::field::retry_after, "0");
      res.body() = R"({"error":"busy"})";
    } else if (req.target() == "/v1/event") {
      boost::system::error_code ec;
      const json::value event = json::parse(req.body(), ec);
      if (ec || !event.is_object() || !event.as_object().contains("idempotency_key")) {
        return {http::status::bad_request, 11, "malformed event"};  // make the test see a 400
      }
      ++events_;
      res.body() =
          n % 3 == 0 ? R"({"ok":true,"status":"duplicate"})" : R"({"ok":true,"status":"inserted"})";
    } else if (req.target() == "/v1/events/batch") {
      const auto total = json::parse(req.body()).as_array().size();
      events_ += static_cast<int>(total);
      res.body() = json::serialize(json::object{{"ok", true},
                                                {"total", total},
                                                {"inserted", total - 1},
                                                {"duplicates", 0},
                                                {"rejected", 1}});
    } else {
      res.result(http::status::not_found);
    }
    return res;
  }

  const int busy_;
  std::atomic<int> requests_{0}, events_{0};
  TestServer server_;  // last: its thread calls Handle until it is destroyed
};

LoadgenOptions Options(std::string url) {
  LoadgenOptions o;
  o.url = std::move(url);
  o.duration_s = 0.4;
  o.connections = 2;
  o.quiet = true;
  return o;
}

TEST(LoadgenTest, SingleEventsAreCounted) {
  FakeIngest server;
  const LoadgenReport r = RunLoadgen(Options(server.url()));
  EXPECT_GT(r.requests, 10u);
  EXPECT_EQ(r.events, r.requests);
  EXPECT_EQ(r.ok + r.duplicates, r.events);
  EXPECT_GT(r.duplicates, 0u);
  EXPECT_EQ(r.errors, 0u);
  EXPECT_EQ(static_cast<std::uint64_t>(server.events()), r.events);
  EXPECT_GT(r.max_ms, 0);
  EXPECT_LE(r.p50_ms, r.p99_ms);
  EXPECT_LE(r.p99_ms, r.max_ms);
  EXPECT_NEAR(r.elapsed_s, 0.4, 0.3);
}

TEST(LoadgenTest, BatchesAreCountedFromTheBatchAnswer) {
  FakeIngest server;
  LoadgenOptions o = Options(server.url());
  o.batch = 10;
  const LoadgenReport r = RunLoadgen(o);
  ASSERT_GT(r.requests, 0u);
  EXPECT_EQ(r.events, r.requests * 10);
  EXPECT_EQ(r.ok, r.requests * 9);
  EXPECT_EQ(r.rejected, r.requests);
  EXPECT_EQ(static_cast<std::uint64_t>(server.events()), r.events);
}

TEST(LoadgenTest, RateIsPaced) {
  FakeIngest server;
  LoadgenOptions o = Options(server.url());
  o.rate = 50;
  o.duration_s = 0.6;
  const LoadgenReport r = RunLoadgen(o);
  EXPECT_GE(r.requests, 20u);
  EXPECT_LE(r.requests, 40u);
}

TEST(LoadgenTest, UnavailableIsRetriedAndCounted) {
  FakeIngest server(/*busy=*/3);
  LoadgenOptions o = Options(server.url());
  o.connections = 1;
  const LoadgenReport r = RunLoadgen(o);
  EXPECT_EQ(r.unavailable, 3u);
  EXPECT_EQ(r.errors, 0u);
  EXPECT_EQ(r.requests, r.events + 3);
  EXPECT_EQ(r.ok + r.duplicates, r.events);
}

TEST(LoadgenTest, StopFlagEndsTheRun) {
  FakeIngest server;
  LoadgenOptions o = Options(server.url());
  o.duration_s = 0;  // until stopped
  o.rate = 100;
  std::atomic<bool> stop{false};
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    stop = true;
  });
  const auto start = Clock::now();
  const LoadgenReport r = RunLoadgen(o, &stop);
  stopper.join();
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));
  EXPECT_GT(r.requests, 0u);
}

TEST(LoadgenTest, DeadServerCountsErrors) {
  LoadgenOptions o = Options("http://127.0.0.1:" + std::to_string(UnusedLocalPort()));
  o.duration_s = 0.3;
  const LoadgenReport r = RunLoadgen(o);
  EXPECT_GT(r.errors, 0u);
  EXPECT_EQ(r.ok, 0u);
  EXPECT_NE(FormatReport(r).find("errors"), std::string::npos);
}

TEST(LoadgenTest, BadUrlThrows) {
  EXPECT_THROW(RunLoadgen(Options("ftp://example.com")), core::Failure);
}

TEST(LoadgenTest, FormatReportIsATable) {
  LoadgenReport r;
  r.requests = 100;
  r.events = 100;
  r.ok = 99;
  r.errors = 1;
  r.elapsed_s = 2;
  r.p50_ms = 1.5;
  r.p99_ms = 7.25;
  r.max_ms = 9;
  const std::string text = FormatReport(r);
  EXPECT_NE(text.find("requests"), std::string::npos);
  EXPECT_NE(text.find("50.0/s"), std::string::npos) << text;
  EXPECT_NE(text.find("p99 7.25 ms"), std::string::npos) << text;
}

TEST(DemoWorkloadTest, WaitsForTheServerThenDelivers) {
  const unsigned short port = UnusedLocalPort();
  DemoWorkload demo("http://127.0.0.1:" + std::to_string(port), {"fab1", "fab2"}, 50);
  demo.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(demo.delivered(), 0u);
  FakeIngest server(0, port);
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  while (demo.delivered() < 10 && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_GE(demo.delivered(), 10u);
  const auto start = Clock::now();
  demo.Stop();
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(500));
}

TEST(DemoWorkloadTest, StopsPromptlyWhenTheServerIsDown) {
  DemoWorkload demo("http://127.0.0.1:" + std::to_string(UnusedLocalPort()), {"fab1"}, 5);
  demo.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto start = Clock::now();
  demo.Stop();
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(500));
  EXPECT_EQ(demo.delivered(), 0u);
}

}  // namespace
}  // namespace dataplane::loadgen
