#include "harness.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string_view>

#include <gtest/gtest.h>
#include <boost/json/serialize.hpp>

#include "core/time.h"
#include "core/uuid.h"
#include "pg/migrations.h"

namespace dataplane::testing {

namespace {

class HarnessEnvironment : public ::testing::Environment {
 public:
  void TearDown() override { Harness::Get().Shutdown(); }
};

const auto* const kEnvironment = ::testing::AddGlobalTestEnvironment(new HarnessEnvironment);

template <typename T>
T Require(core::Result<T> result, const char* what) {
  if (!result) throw std::runtime_error(std::string(what) + ": " + result.error().message);
  return std::move(result.value());
}

}  // namespace

Backend TestBackend() {
  static const Backend backend = [] {
    const char* name = std::getenv("DATAPLANE_TEST_BACKEND");
    if (!name || std::string_view(name) == "postgres" || !*name) return Backend::kPostgres;
    if (std::string_view(name) == "timescaledb") return Backend::kTimescaleDb;
    throw std::runtime_error(std::string("DATAPLANE_TEST_BACKEND=") + name +
                             ": expected postgres or timescaledb");
  }();
  return backend;
}

Harness& Harness::Get() {
  static Harness harness;
  return harness;
}

Harness::Harness() {
  char pattern[] = "/tmp/dataplane-it-XXXXXX";
  dir_ = ::mkdtemp(pattern);
  pg::ClusterOptions options;
  options.dir = dir_ + "/pg";
  options.throwaway = true;
  options.timescaledb = OnTimescaleDb();
  cluster_ = std::make_unique<pg::EmbeddedCluster>(options);
  if (auto s = cluster_->Start(); !s) throw std::runtime_error("cluster: " + s.error().message);
  auto conn = Require(pg::Connection::Open({cluster_->Url()}), "connect");
  pg::Migrate(*conn);
  const std::string backend(conn->Exec("SELECT dataplane_backend()").Text(0, 0));
  if (backend != (OnTimescaleDb() ? "timescaledb" : "postgres"))
    throw std::runtime_error("the migrated schema is on " + backend +
                             ", not on the backend under test");
  api_ = std::make_unique<TestApi>(ApiConfig());
  if (auto s = api_->Start(); !s) throw std::runtime_error("local api: " + s.error().message);
}

local_api::LocalApiConfig Harness::ApiConfig() const {
  local_api::LocalApiConfig config;
  config.database_url = cluster_->Url();
  config.port = 0;
  config.bind_address = "127.0.0.1";
  config.site_id = "fab1";
  config.pool_min = 1;
  config.pool_max = 4;
  config.http_threads = 2;
  config.max_body_bytes = 1024 * 1024;
  config.max_batch_events = 100;
  // The background refresh and alerts stay out of the way of tests that call them directly;
  // JobStats.TheLocalApiRefreshesOnItsOwn runs an API with a short interval.
  config.stats_refresh_interval_s = 3600;
  return config;
}

void Harness::RestartApi() {
  api_->Stop();
  api_ = std::make_unique<TestApi>(ApiConfig());
  if (auto s = api_->Start(); !s) throw std::runtime_error("local api: " + s.error().message);
}

void Harness::Shutdown() {
  if (api_) api_->Stop();
  api_.reset();
  if (cluster_) (void)cluster_->Stop();
  cluster_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

http::HttpClient Harness::Client() const {
  return http::HttpClient("127.0.0.1", api_->port(), std::chrono::seconds(10));
}

std::unique_ptr<pg::Connection> Harness::Db() const {
  return Require(pg::Connection::Open({cluster_->Url()}), "connect");
}

std::string Harness::UrlOf(const std::string& database) const {
  const std::string url = database_url();
  return url.substr(0, url.rfind('/') + 1) + database;
}

void Harness::RecreateDatabase(const std::string& name) const {
  auto conn = Db();
  conn->Exec("DROP DATABASE IF EXISTS " + name);
  conn->Exec("CREATE DATABASE " + name);
}

std::string Harness::Scalar(const std::string& sql) const {
  auto conn = Db();
  pg::PgResult r = conn->Exec(sql);
  return r.IsNull(0, 0) ? "" : std::string(r.Text(0, 0));
}

std::string NewUuid() {
  static std::mt19937_64 rng(std::random_device{}());
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  core::Uuid u;
  for (auto& b : u) b = static_cast<std::uint8_t>(rng());
  u[6] = (u[6] & 0x0F) | 0x40;
  u[8] = (u[8] & 0x3F) | 0x80;
  return core::FormatUuid(u);
}

std::string NewKey() { return "key-" + NewUuid(); }

std::string AtOffset(double seconds) {
  return core::FormatRfc3339(core::NowMicros() +
                             static_cast<core::Micros>(seconds * core::kMicrosPerSecond));
}

std::string MakeEvent(const EventSpec& s) {
  boost::json::object event{{"kind", s.kind}, {"at", s.at.empty() ? AtOffset(0) : s.at}};
  if (s.status) event["status"] = *s.status;
  if (s.duration_s) event["metrics"] = {{"duration_s", *s.duration_s}, {"wafer_count", 25}};
  event["metadata"] = {{"tool", "ASML-07"}, {"recipe", "R12"}};
  boost::json::object entity{{"type", s.type}, {"id", s.id}, {"business_key", s.business_key}};
  entity["parent_id"] = s.parent ? boost::json::value(*s.parent) : nullptr;
  if (s.type == "subjob") entity["sub_key"] = "wafer-01";
  boost::json::object root{{"idempotency_key", s.key.empty() ? NewKey() : s.key},
                           {"site_id", s.site},
                           {"app",
                            {{"app_id", "6f1c1a52-8d43-4b7e-9a55-0d1c2b3a4f5e"},
                             {"name", s.app_name},
                             {"version", "1.4.2"}}},
                           {"entity", entity},
                           {"event", event}};
  return boost::json::serialize(root);
}

}  // namespace dataplane::testing
