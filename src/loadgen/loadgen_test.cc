// RunLoadgen and DemoWorkload against a fake ingest server on 127.0.0.1.
#include "loadgen/loadgen.h"

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <thread>

namespace dataplane::loadgen {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// Answers POST /v1/event and /v1/events/batch like the Local API; every third single event is
// a duplicate; the first `busy` requests get 503 with Retry-After: 0.
class FakeIngest {
 public:
  explicit FakeIngest(int busy = 0, unsigned short port = 0)
      : busy_(busy), acceptor_(ioc_, {asio::ip::make_address("127.0.0.1"), port}) {
    asio::co_spawn(ioc_, Listen(), asio::detached);
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~FakeIngest() {
    ioc_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }
  int port() const { return acceptor_.local_endpoint().port(); }
  int requests() const { return requests_.load(); }
  int events() const { return events_.load(); }

 private:
  asio::awaitable<void> Listen() {
    for (;;) {
      tcp::socket socket = co_await acceptor_.async_accept(asio::use_awaitable);
      asio::co_spawn(ioc_, Serve(std::move(socket)), asio::detached);
    }
  }

  http::response<http::string_body> Handle(const http::request<http::string_body>& req) {
    http::response<http::string_body> res{http::status::ok, 11};
    res.set(http::field::content_type, "application/json");
    const int n = ++requests_;
    if (n <= busy_) {
      res.result(http::status::service_unavailable);
      res.set(http::field::retry_after, "0");
      res.body() = R"({"error":"busy"})";
    } else if (req.target() == "/v1/event") {
      json::parse(req.body()).at("idempotency_key").as_string();  // throws on a bad event
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
    res.prepare_payload();
    return res;
  }

  asio::awaitable<void> Serve(tcp::socket socket) {
    beast::flat_buffer buffer;
    beast::error_code ec;
    for (;;) {
      http::request<http::string_body> req;
      co_await http::async_read(socket, buffer, req, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      http::response<http::string_body> res;
      try {
        res = Handle(req);
      } catch (const std::exception& e) {  // a malformed event: make the test see a 400
        res = {http::status::bad_request, 11, e.what()};
        res.prepare_payload();
      }
      co_await http::async_write(socket, res, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
    }
  }

  const int busy_;
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  std::atomic<int> requests_{0}, events_{0};
  std::thread thread_;
};

unsigned short UnusedPort() {
  asio::io_context ioc;
  tcp::acceptor probe(ioc, {asio::ip::make_address("127.0.0.1"), 0});
  return probe.local_endpoint().port();
}

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
  LoadgenOptions o = Options("http://127.0.0.1:" + std::to_string(UnusedPort()));
  o.duration_s = 0.3;
  const LoadgenReport r = RunLoadgen(o);
  EXPECT_GT(r.errors, 0u);
  EXPECT_EQ(r.ok, 0u);
  EXPECT_NE(FormatReport(r).find("errors"), std::string::npos);
}

TEST(LoadgenTest, BadUrlThrows) {
  EXPECT_THROW(RunLoadgen(Options("https://example.com")), core::Failure);
}

TEST(LoadgenTest, ParseHttpUrl) {
  auto a = ParseHttpUrl("http://127.0.0.1:18000");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 18000);
  EXPECT_EQ(a->base_path, "");
  auto b = ParseHttpUrl("site1-api:18000/prefix/");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->host, "site1-api");
  EXPECT_EQ(b->base_path, "/prefix");
  auto c = ParseHttpUrl("http://[::1]/");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->host, "::1");
  EXPECT_EQ(c->port, 80);
  EXPECT_FALSE(ParseHttpUrl("ftp://x").ok());
  EXPECT_FALSE(ParseHttpUrl("http://").ok());
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
  const unsigned short port = UnusedPort();
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
  DemoWorkload demo("http://127.0.0.1:" + std::to_string(UnusedPort()), {"fab1"}, 5);
  demo.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto start = Clock::now();
  demo.Stop();
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(500));
  EXPECT_EQ(demo.delivered(), 0u);
}

}  // namespace
}  // namespace dataplane::loadgen
