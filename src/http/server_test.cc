// Tests of HttpServer and its middlewares over real loopback HTTP: the chain's order and the
// status outer middlewares see, 404 and 405 (with Allow), auth refusing before the handler, the
// trace context, the deadline, the header and body limits, the read timeout, and a stop that
// answers the request in flight.
#include "http/server.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "http/auth_middleware.h"
#include "http/client.h"
#include "http/metrics_middleware.h"
#include "http/status.h"
#include "http/tracing_middleware.h"
#include "metrics/testing/promtool.h"

namespace dataplane::http {
namespace {
namespace asio = boost::asio;
using core::Error;
using core::ErrorKind;

asio::awaitable<HttpResponse> Ok(const HttpRequest& request, std::string body) {
  co_return JsonResponse(request, status::ok, std::move(body));
}

// A middleware that records its name on the way in and the status it saw on the way out.
Middleware Recording(std::string name, std::vector<std::string>& log, std::mutex& mu) {
  return [name, &log, &mu](const HttpRequest&, RequestContext&,
                           const Next& next) -> asio::awaitable<HttpResponse> {
    {
      std::lock_guard lock(mu);
      log.push_back(name + " in");
    }
    HttpResponse response = co_await next();
    std::lock_guard lock(mu);
    log.push_back(name + " out " + std::to_string(response.result_int()));
    co_return response;
  };
}

struct Server {
  Server(Router router, std::vector<Middleware> middlewares, HttpServerOptions options = {})
      : server(WithLoopback(options), std::move(router), std::move(middlewares)) {
    EXPECT_TRUE(server.Start().ok());
  }
  static HttpServerOptions WithLoopback(HttpServerOptions options) {
    options.address = "127.0.0.1";
    return options;
  }
  HttpClient Client() { return HttpClient("127.0.0.1", server.port()); }
  HttpServer server;
};

// Sends raw bytes and reads until the server closes; returns what it answered.
std::string RawExchange(int port, const std::string& bytes) {
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
  asio::write(socket, asio::buffer(bytes));
  std::string all;
  boost::system::error_code ec;
  char buf[4096];
  while (!ec) all.append(buf, socket.read_some(asio::buffer(buf), ec));
  return all;
}

TEST(HttpServerTest, MiddlewaresRunOutermostFirstAndSeeTheMappedStatus) {
  std::vector<std::string> log;
  std::mutex mu;
  Router router;
  router.Add(verb::get, "/missing",
             [](const HttpRequest&, RequestContext&) -> asio::awaitable<HttpResponse> {
               throw core::Failure(Error{ErrorKind::kNotFound, "gone", "not here", {}});
               co_return HttpResponse{};
             });
  router.Add(verb::get, "/boom",
             [](const HttpRequest&, RequestContext&) -> asio::awaitable<HttpResponse> {
               throw std::runtime_error("a bug");
               co_return HttpResponse{};
             });
  Server s(std::move(router), {Recording("outer", log, mu), Recording("inner", log, mu)});
  HttpClient client = s.Client();
  EXPECT_EQ(client.Get("/missing")->status, 404);
  EXPECT_EQ(client.Get("/boom")->status, 500);
  std::lock_guard lock(mu);
  EXPECT_EQ(log,
            (std::vector<std::string>{"outer in", "inner in", "inner out 404", "outer out 404",
                                      "outer in", "inner in", "inner out 500", "outer out 500"}));
}

TEST(HttpServerTest, UnknownPathIs404AndOtherMethodIs405WithAllow) {
  std::vector<std::string> log;
  std::mutex mu;
  Router router;
  router.Add(verb::get, "/v1/things",
             [](const HttpRequest& r, RequestContext&) { return Ok(r, "{}"); });
  router.Add(verb::post, "/v1/things",
             [](const HttpRequest& r, RequestContext&) { return Ok(r, "{}"); });
  Server s(std::move(router), {Recording("m", log, mu)});
  HttpClient client = s.Client();
  auto missing = client.Get("/v1/nothing");
  EXPECT_EQ(missing->status, 404);
  EXPECT_NE(missing->body.find("\"code\":\"not_found\""), std::string::npos) << missing->body;
  auto wrong = client.Request("DELETE", "/v1/things");
  EXPECT_EQ(wrong->status, 405);
  EXPECT_EQ(wrong->Header("allow"), "GET, POST");
  EXPECT_NE(wrong->body.find("\"code\":\"method_not_allowed\""), std::string::npos) << wrong->body;
  EXPECT_EQ(wrong->Header("retry-after"), "");
  std::lock_guard lock(mu);
  EXPECT_EQ(log, (std::vector<std::string>{"m in", "m out 404", "m in", "m out 405"}))
      << "refusals go through the middlewares too";
}

TEST(HttpServerTest, AuthRefusesBeforeTheHandlerOrNamesThePrincipal) {
  std::atomic<int> handled{0};
  Router router;
  router.Add(verb::get, "/whoami", [&handled](const HttpRequest& r, RequestContext& context) {
    ++handled;
    return Ok(r, "\"" + context.call.principal.subject + "\"");
  });
  Authenticator by_header = [](const HttpRequest& request,
                               const RequestContext&) -> core::Result<core::Principal> {
    const std::string_view token = request[field::authorization];
    if (token.empty()) return Error{ErrorKind::kUnauthorized, "no_credentials", "who are you?", {}};
    if (token == "Bearer reader") return core::Principal{"reader", {"read"}, {}};
    return Error{ErrorKind::kForbidden, "no_scope", "not for you", {}};
  };
  std::vector<std::string> log;
  std::mutex mu;
  Server s(std::move(router), {Recording("outer", log, mu), AuthMiddleware(by_header)});
  HttpClient client = s.Client();
  EXPECT_EQ(client.Get("/whoami")->status, 401);
  EXPECT_EQ(client.Request("GET", "/whoami", {}, {}, {{"Authorization", "Bearer other"}})->status,
            403);
  auto ok = client.Request("GET", "/whoami", {}, {}, {{"Authorization", "Bearer reader"}});
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body, "\"reader\"");
  EXPECT_EQ(handled.load(), 1);
  std::lock_guard lock(mu);
  EXPECT_EQ(log[1], "outer out 401");
}

TEST(HttpServerTest, TracingContinuesAValidTraceparentAndStartsOneOtherwise) {
  Router router;
  router.Add(verb::get, "/trace", [](const HttpRequest& r, RequestContext& context) {
    return Ok(r,
              "\"" + context.call.trace.trace_id + " " + context.call.trace.parent_span_id + "\"");
  });
  Server s(std::move(router), {TracingMiddleware()});
  HttpClient client = s.Client();
  const std::string trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  const std::string parent = "00f067aa0ba902b7";
  auto continued = client.Request("GET", "/trace", {}, {},
                                  {{"traceparent", "00-" + trace_id + "-" + parent + "-01"}});
  EXPECT_EQ(continued->body, "\"" + trace_id + " " + parent + "\"");
  const std::string_view answer = continued->Header("traceresponse");
  ASSERT_EQ(answer.size(), 55u) << answer;
  EXPECT_EQ(answer.substr(0, 36), "00-" + trace_id + "-");
  EXPECT_NE(answer.substr(36, 16), parent) << "the server's span is its own";
  EXPECT_EQ(answer.substr(52), "-01");

  for (const char* invalid :
       {"", "garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}) {
    auto fresh = client.Request("GET", "/trace", {}, {}, {{"traceparent", invalid}});
    ASSERT_EQ(fresh->status, 200) << invalid;
    EXPECT_EQ(fresh->body.size(), 2 + 32 + 1) << "a new trace, no parent: " << fresh->body;
    EXPECT_EQ(fresh->body.find(trace_id), std::string::npos) << invalid;
  }
}

TEST(HttpServerTest, TheContextCarriesTheRouteParamsAndDeadline) {
  Router router;
  router.Add(verb::get, "/v1/jobs/{job_id}", [](const HttpRequest& r, RequestContext& context) {
    const auto budget = std::chrono::duration_cast<std::chrono::milliseconds>(
        context.call.deadline - context.received);
    return Ok(r, "\"" + std::string(context.route) + " " + context.params.at(0) + " " +
                     std::to_string(budget.count()) + "\"");
  });
  HttpServerOptions options;
  options.request_timeout = std::chrono::milliseconds(1500);
  Server s(std::move(router), {}, options);
  EXPECT_EQ(s.Client().Get("/v1/jobs/42")->body, "\"/v1/jobs/{job_id} 42 1500\"");
}

TEST(HttpServerTest, AContextPerThreadServesEveryConnectionOnOneThreadEach) {
  Router router;
  router.Add(verb::get, "/thread", [](const HttpRequest& r, RequestContext&) {
    return Ok(
        r, "\"" + std::to_string(std::hash<std::thread::id>()(std::this_thread::get_id())) + "\"");
  });
  HttpServerOptions options;
  options.threads = 3;
  options.context_per_thread = true;
  Server s(std::move(router), {}, options);
  EXPECT_EQ(s.server.executors().size(), 3u);
  // Connections are dealt to the threads in turn, and each stays on its thread; every thread
  // serves, also one that had nothing to do until its first connection came.
  std::vector<std::string> threads;
  for (int connection = 0; connection < 6; ++connection) {
    HttpClient client = s.Client();
    std::string first;
    for (int request = 0; request < 3; ++request) {
      auto reply = client.Get("/thread");
      ASSERT_TRUE(reply.ok()) << "connection " << connection << ": " << reply.error().message;
      ASSERT_EQ(reply->status, 200);
      if (request == 0) first = reply->body;
      EXPECT_EQ(reply->body, first) << "a connection moved between threads";
    }
    threads.push_back(first);
  }
  EXPECT_EQ(std::set<std::string>(threads.begin(), threads.end()).size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(threads[i], threads[i + 3]) << "dealt in turn";
}

TEST(HttpServerTest, HeadersOverTheLimitAre413) {
  Router router;
  router.Add(verb::get, "/", [](const HttpRequest& r, RequestContext&) { return Ok(r, "{}"); });
  Server s(std::move(router), {});
  const std::string answer = RawExchange(
      s.server.port(),
      "GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(20 * 1024, 'a') + "\r\n\r\n");
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 413")) << answer.substr(0, 200);
  EXPECT_NE(answer.find("headers_too_large"), std::string::npos);
}

TEST(HttpServerTest, ABodyOverTheLimitIs413BeforeItIsRead) {
  Router router;
  router.Add(verb::post, "/", [](const HttpRequest& r, RequestContext&) { return Ok(r, "{}"); });
  HttpServerOptions options;
  options.body_limit = 1024;
  Server s(std::move(router), {}, options);
  auto reply = s.Client().Post("/", std::string(4096, 'x'));
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  EXPECT_EQ(reply->status, 413);
  EXPECT_NE(reply->body.find("body_too_large"), std::string::npos);
}

TEST(HttpServerTest, AnIncompleteRequestIsDroppedAfterTheReadTimeout) {
  Router router;
  router.Add(verb::get, "/", [](const HttpRequest& r, RequestContext&) { return Ok(r, "{}"); });
  HttpServerOptions options;
  options.read_timeout = std::chrono::seconds(1);
  Server s(std::move(router), {}, options);
  const auto started = std::chrono::steady_clock::now();
  const std::string answer = RawExchange(s.server.port(), "GET / HTTP/1.1\r\nHost: t\r\n");
  const auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(answer, "") << "a client that stops mid-request gets no answer, only a close";
  EXPECT_LT(waited, std::chrono::seconds(30)) << "closed by the server, not left hanging";
}

TEST(HttpServerTest, StopAnswersTheRequestInFlightThenRefusesConnections) {
  std::atomic<bool> entered{false};
  Router router;
  router.Add(verb::get, "/slow",
             [&entered](const HttpRequest& r, RequestContext&) -> asio::awaitable<HttpResponse> {
               entered = true;
               asio::steady_timer timer(co_await asio::this_coro::executor,
                                        std::chrono::milliseconds(500));
               co_await timer.async_wait(asio::use_awaitable);
               co_return JsonResponse(r, status::ok, "\"done\"");
             });
  Server s(std::move(router), {});
  const int port = s.server.port();
  core::Result<HttpReply> reply = core::Error{};
  std::thread client([&] { reply = HttpClient("127.0.0.1", port).Get("/slow"); });
  while (!entered) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  s.server.Stop();
  client.join();
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "\"done\"");
  EXPECT_FALSE(HttpClient("127.0.0.1", port, std::chrono::milliseconds(500)).Get("/slow").ok());
}

TEST(HttpServerTest, TheMetricsMiddlewareCountsRoutesAndBoundsUnmatchedMethods) {
  metrics::MetricsRegistry registry;
  Router router;
  router.Add(verb::get, "/v1/jobs/{job_id}",
             [](const HttpRequest& r, RequestContext&) { return Ok(r, "{}"); });
  Middleware counting = MetricsMiddleware(metrics::Scope(registry).With("service", "test"), router);
  Server s(std::move(router), {std::move(counting)});
  HttpClient client = s.Client();
  EXPECT_EQ(client.Get("/v1/jobs/1")->status, 200);
  EXPECT_EQ(client.Get("/v1/jobs/2")->status, 200);
  EXPECT_EQ(client.Request("BREW", "/v1/coffee")->status, 404);
  EXPECT_EQ(client.Request("PUT", "/v1/jobs/1")->status, 405);
  const std::string text = registry.Serialize();
  for (const char* sample :
       {"dataplane_http_requests_total{service=\"test\",route=\"/v1/jobs/{job_id}\",method=\"GET\","
        "status=\"200\"} 2\n",
        "dataplane_http_requests_total{service=\"test\",route=\"unmatched\",method=\"other\","
        "status=\"404\"} 1\n",
        "dataplane_http_requests_total{service=\"test\",route=\"unmatched\",method=\"PUT\","
        "status=\"405\"} 1\n",
        "dataplane_http_request_duration_seconds_count{service=\"test\",route=\"/v1/jobs/"
        "{job_id}\",method=\"GET\"} 2\n"}) {
    EXPECT_NE(text.find(sample), std::string::npos) << sample << text;
  }
  EXPECT_TRUE(metrics::testing::PromtoolAccepts(text));
}

}  // namespace
}  // namespace dataplane::http
