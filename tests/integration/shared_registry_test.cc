// Several services in one process share one metrics registry (issue 9): the Local API and a
// second service — its own HTTP server and database pool, as the Central API will have — count
// into the same families, told apart by their `service` label, and one scrape shows both with
// the process_* metrics once, valid for promtool.
#include <string>

#include <gtest/gtest.h>

#include "harness.h"
#include "http/metrics_middleware.h"
#include "http/server.h"
#include "http/status.h"
#include "metrics/testing/promtool.h"
#include "pg/pool.h"

namespace dataplane::testing {
namespace {

std::size_t Occurrences(const std::string& text, const std::string& what) {
  std::size_t count = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++count;
  }
  return count;
}

TEST(SharedRegistry, TwoServersAndTwoPoolsOnOneRegistry) {
  metrics::MetricsRegistry registry;
  local_api::LocalApi api(Harness::Get().ApiConfig(), local_api::ServiceMetrics(registry));
  ASSERT_TRUE(api.Start().ok());

  const metrics::Scope other = metrics::Scope(registry).With("service", "other");
  pg::PoolOptions pool_options;
  pool_options.connect.url = Harness::Get().cluster().Url();
  pool_options.min_size = 1;
  pool_options.max_size = 3;
  pg::Pool pool(pool_options, other);
  ASSERT_TRUE(pool.Warm().ok());
  http::Router router;
  router.Add(http::verb::get, "/v1/ping",
             [&pool](const http::HttpRequest& request,
                     http::RequestContext&) -> boost::asio::awaitable<http::HttpResponse> {
               pg::Pool::Stats stats = pool.GetStats();
               co_return http::JsonResponse(request, http::status::ok,
                                            "{\"idle\":" + std::to_string(stats.idle) + "}");
             });
  std::vector<http::Middleware> middlewares{http::MetricsMiddleware(other, router)};
  http::HttpServerOptions server_options;
  server_options.address = "127.0.0.1";
  http::HttpServer server(server_options, std::move(router), std::move(middlewares));
  ASSERT_TRUE(server.Start().ok());

  http::HttpClient to_other("127.0.0.1", server.port());
  ASSERT_EQ(to_other.Get("/v1/ping")->status, 200);
  ASSERT_EQ(to_other.Get("/v1/nope")->status, 404);
  http::HttpClient to_local("127.0.0.1", api.port());
  ASSERT_EQ(to_local.Get("/v1/healthz")->status, 200);
  auto scrape = to_local.Get("/metrics");
  ASSERT_EQ(scrape->status, 200);
  const std::string& text = scrape->body;

  for (
      const char* sample :
      {R"(dataplane_http_requests_total{service="local_api",route="/v1/healthz",method="GET",status="200"} 1)",
       R"(dataplane_http_requests_total{service="other",route="/v1/ping",method="GET",status="200"} 1)",
       R"(dataplane_http_requests_total{service="other",route="unmatched",method="GET",status="404"} 1)",
       R"(dataplane_db_pool_connections{service="local_api",state="max"} 4)",
       R"(dataplane_db_pool_connections{service="other",state="max"} 3)"}) {
    EXPECT_EQ(Occurrences(text, std::string(sample) + "\n"), 1u) << sample << "\n" << text;
  }
  EXPECT_EQ(Occurrences(text, "# TYPE dataplane_http_requests_total "), 1u);
  EXPECT_EQ(Occurrences(text, "# TYPE dataplane_db_pool_connections "), 1u);
  EXPECT_EQ(Occurrences(text, "# TYPE process_cpu_seconds_total "), 1u);
  EXPECT_TRUE(metrics::testing::PromtoolAccepts(text));

  server.Stop();
  api.Stop();
}

}  // namespace
}  // namespace dataplane::testing
