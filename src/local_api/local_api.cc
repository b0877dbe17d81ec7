#include "local_api/local_api.h"

#include <thread>

#include <boost/asio/thread_pool.hpp>

#include "core/log.h"
#include "http/server.h"
#include "http/service_middlewares.h"
#include "local_api/context.h"
#include "local_api/ingest_routes.h"
#include "local_api/maintenance_scheduler.h"
#include "local_api/ops_routes.h"
#include "local_api/query_routes.h"
#include "pg/database_backend.h"
#include "pg/maintenance.h"
#include "pg/migrations.h"

namespace dataplane::local_api {

struct LocalApi::Parts {
  Parts(const LocalApiConfig& config, const metrics::Scope& metrics_scope,
        pg::DatabaseBackend database_backend)
      : backend(std::move(database_backend)),
        metrics(metrics_scope),
        cache(CacheOptionsFor(config), metrics),
        flights(metrics),
        pool(PoolOptionsFor(config), metrics),
        blocking(static_cast<std::size_t>(config.pool_max)),
        writer(WriterOptionsFor(config, cache), metrics),
        health(pg::ConnectOptions{config.database_url}, std::chrono::milliseconds(1000)),
        maintenance(pool, metrics, MaintenanceTasksFor(config)),
        context{config, metrics, pool,    blocking, writer,
                health, cache,   flights, backend,  LimitsFor(config)} {
    metrics
        .AddGauge("dataplane_database_backend_info",
                  "The storage of the database (1 for the backend in use): timescaledb "
                  "(hypertables, continuous aggregates) or postgres (native partitions).",
                  {"backend", "timescaledb_version"})
        .WithLabels({backend.name, backend.timescaledb_version})
        .Set(1);
  }

  static pg::PoolOptions PoolOptionsFor(const LocalApiConfig& c) {
    pg::PoolOptions o;
    o.connect.url = c.database_url;
    o.connect.application_name = "dataplane-local-api";
    // The read statements are prepared once per connection; planning them for each execution
    // (PostgreSQL's first five "custom" plans, and whenever it judges them cheaper) costs more
    // than the query itself over a few dozen daily partitions. Generic plans keep the
    // indexes and prune partitions at run time.
    o.connect.settings = {{"plan_cache_mode", "force_generic_plan"}};
    o.min_size = c.pool_min;
    o.max_size = c.pool_max;
    return o;
  }
  static QueryCacheOptions CacheOptionsFor(const LocalApiConfig& c) {
    QueryCacheOptions o;
    o.ttl = std::chrono::microseconds(static_cast<std::int64_t>(c.cache_ttl_s * 1e6));
    return o;
  }
  static ingest::IngestWriterOptions WriterOptionsFor(const LocalApiConfig& c, QueryCache& cache) {
    ingest::IngestWriterOptions o;
    o.connect.url = c.database_url;
    o.connect.application_name = "dataplane-ingest";
    o.writers = c.ingest_writers;
    o.max_group_events = c.ingest_group_max_events;
    o.max_queued_events = c.ingest_queue_max_events;
    o.max_group_wait = std::chrono::microseconds(c.ingest_group_wait_us);
    o.on_commit = [&cache] { cache.Invalidate(); };
    return o;
  }
  static std::vector<MaintenanceTask> MaintenanceTasksFor(const LocalApiConfig& c) {
    using std::chrono::hours;
    using std::chrono::seconds;
    return {
        {"partitions", hours(1),
         [](pg::Connection& conn) {
           if (const auto created = pg::EnsurePartitionsAhead(conn); created > 0) {
             core::LogInfo("partitions created", {{"count", created}});
           }
         }},
        {"job_stats_refresh", seconds(c.stats_refresh_interval_s),
         [](pg::Connection& conn) { pg::RefreshJobStats(conn); }},
        {"job_stats_retention", hours(1),
         [](pg::Connection& conn) { pg::ApplyJobStatsRetention(conn); }},
        {"alerts", seconds(c.stats_refresh_interval_s),
         [](pg::Connection& conn) { pg::GenerateAlerts(conn); }},
    };
  }
  static ingest::ValidationLimits LimitsFor(const LocalApiConfig& c) {
    ingest::ValidationLimits l;
    l.max_future_skew = c.max_future_skew_s * core::kMicrosPerSecond;
    l.max_event_age_days = c.max_event_age_days;
    l.max_batch_events = c.max_batch_events;
    return l;
  }

  pg::DatabaseBackend backend;
  metrics::Scope metrics;
  QueryCache cache;
  QueryFlights flights;
  pg::Pool pool;
  boost::asio::thread_pool blocking;
  ingest::IngestWriter writer;
  HealthMonitor health;
  MaintenanceScheduler maintenance;
  LocalApiContext context;
  std::unique_ptr<http::HttpServer> server;
};

namespace {

// Connects, retrying while the database comes up; then checks the schema and reads which
// storage it uses.
core::Result<pg::DatabaseBackend> WaitForSchema(const LocalApiConfig& config,
                                                std::chrono::seconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (true) {
    auto conn = pg::Connection::Open({config.database_url});
    if (conn) {
      if (core::Status s = pg::CheckSchema(**conn); !s) return s.error();
      return pg::ReadDatabaseBackend(**conn);
    }
    if (std::chrono::steady_clock::now() >= deadline) return conn.error();
    core::LogWarn("database not reachable yet; retrying", {{"error", conn.error().message}});
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

}  // namespace

metrics::Scope ServiceMetrics(metrics::MetricsRegistry& registry) {
  return metrics::Scope(registry).With("service", "local_api");
}

LocalApi::LocalApi(LocalApiConfig config, metrics::Scope metrics)
    : config_(std::move(config)), metrics_(std::move(metrics)) {}

LocalApi::~LocalApi() { Stop(); }

core::Status LocalApi::Start() { return Start(std::chrono::seconds(30)); }

core::Status LocalApi::Start(std::chrono::seconds startup_wait) {
  auto backend = WaitForSchema(config_, startup_wait);
  if (!backend) return backend.error();
  pg::LogDatabaseBackend(*backend);
  parts_ = std::make_unique<Parts>(config_, metrics_, std::move(*backend));
  if (auto s = parts_->pool.Warm(); !s) return s;
  if (auto s = parts_->maintenance.RunNow("partitions"); !s) return s;
  parts_->health.Start();
  parts_->writer.Start();
  parts_->maintenance.Start();

  http::Router router;
  AddIngestRoutes(router, parts_->context);
  AddQueryRoutes(router, parts_->context);
  AddOpsRoutes(router, parts_->context);
  http::HttpServerOptions http;
  http.address = config_.bind_address;
  http.port = config_.port;
  http.threads = config_.http_threads;
  http.body_limit = config_.max_body_bytes;
  auto middlewares = http::ServiceMiddlewares(parts_->metrics, router);
  parts_->server =
      std::make_unique<http::HttpServer>(http, std::move(router), std::move(middlewares));
  if (auto s = parts_->server->Start(); !s) return s;
  core::LogInfo("local api listening", {{"port", parts_->server->port()},
                                        {"site_id", config_.site_id},
                                        {"database", core::RedactUrl(config_.database_url)}});
  return core::OkStatus();
}

void LocalApi::Stop() {
  if (!parts_) return;
  if (parts_->server) parts_->server->Stop();  // answers in-flight requests first
  parts_->writer.Stop();                       // writes what was accepted
  parts_->maintenance.Stop();
  parts_->health.Stop();
  parts_->blocking.join();
  parts_.reset();
}

int LocalApi::port() const { return parts_ && parts_->server ? parts_->server->port() : 0; }

}  // namespace dataplane::local_api
