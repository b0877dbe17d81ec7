#pragma once
// The integration-test world: one throwaway PostgreSQL cluster (EmbeddedCluster in a temp dir,
// migrated) and one Local API on a free loopback port, created on first use and torn down at
// exit. Tests talk to the API over real HTTP and inspect the database over libpq.
//
// The suite runs once per backend (CTest tests `integration` and `integration_timescaledb`):
// DATAPLANE_TEST_BACKEND=postgres gives a plain server (native partitions, rollup tables),
// =timescaledb a server that preloads the extension (hypertables, continuous aggregates,
// compression). main.cc reports the TimescaleDB run as skipped when the extension is absent.
#include <memory>
#include <optional>
#include <string>

#include "central_api/central_api.h"
#include "http/client.h"
#include "local_api/local_api.h"
#include "pg/connection.h"
#include "pg/embedded_cluster.h"

namespace dataplane::testing {

enum class Backend { kPostgres, kTimescaleDb };

//! The backend of this run, from DATAPLANE_TEST_BACKEND (default postgres); an unknown value
//! throws.
Backend TestBackend();
inline bool OnTimescaleDb() { return TestBackend() == Backend::kTimescaleDb; }

// A Local API with a metrics registry of its own, scoped as the commands scope it.
struct OwnMetricsRegistry {
  metrics::MetricsRegistry registry;
};
class TestApi : private OwnMetricsRegistry, public local_api::LocalApi {
 public:
  explicit TestApi(local_api::LocalApiConfig config)
      : LocalApi(std::move(config), local_api::ServiceMetrics(registry)) {}
};

// A Central API with a metrics registry of its own, scoped as the commands scope it.
class TestCentral : private OwnMetricsRegistry, public central_api::CentralApi {
 public:
  explicit TestCentral(central_api::CentralApiConfig config)
      : CentralApi(std::move(config), central_api::ServiceMetrics(registry)) {}
};

class Harness {
 public:
  static Harness& Get();

  pg::EmbeddedCluster& cluster() { return *cluster_; }
  std::string database_url() const { return cluster_->Url(); }
  int api_port() const { return api_->port(); }
  http::HttpClient Client() const;
  std::unique_ptr<pg::Connection> Db() const;
  //! The URL of another database on the harness's cluster.
  std::string UrlOf(const std::string& database) const;
  //! Drops (if there) and creates an empty database on the harness's cluster.
  void RecreateDatabase(const std::string& name) const;
  //! One value of a single-row, single-column query.
  std::string Scalar(const std::string& sql) const;
  //! Stops the Local API and starts a new one on a new port (a server restart).
  void RestartApi();
  //! A config for a Local API on this cluster, port 0.
  local_api::LocalApiConfig ApiConfig() const;
  void Shutdown();

 private:
  Harness();
  std::string dir_;
  std::unique_ptr<pg::EmbeddedCluster> cluster_;
  std::unique_ptr<TestApi> api_;
};

// A valid event as JSON text, with the fields tests vary.
struct EventSpec {
  std::string key = {};
  std::string type = "job";
  std::string id = {};
  std::optional<std::string> parent = {};
  std::string kind = "started";
  std::optional<std::string> status = {};
  std::string at = {};  // RFC 3339; empty: now
  std::optional<double> duration_s = {};
  std::string site = "fab1";
  std::string app_name = "litho-scan";
  std::string business_key = "lot-1";
};
std::string MakeEvent(const EventSpec& spec);
std::string NewUuid();
std::string NewKey();
//! RFC 3339 for now + offset seconds.
std::string AtOffset(double seconds);

}  // namespace dataplane::testing
