// pg::Pool on the real server: the acquire timeout and the caller's deadline bound the wait, a
// pool heals after its server connections are killed, an unreachable server is kUnavailable, and
// each case is counted in the pool's metrics.
#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "harness.h"
#include "metrics/registry.h"
#include "pg/pool.h"
#include "pg/sql_failure.h"

namespace dataplane::testing {
namespace {

using Clock = std::chrono::steady_clock;

pg::PoolOptions Options(const std::string& url, int max_size, const std::string& name) {
  pg::PoolOptions options;
  options.connect.url = url;
  options.connect.application_name = name;
  options.min_size = 1;
  options.max_size = max_size;
  options.acquire_timeout = std::chrono::milliseconds(200);
  return options;
}

bool Contains(const std::string& text, const std::string& sample) {
  return text.find("\n" + sample + "\n") != std::string::npos;
}

TEST(Pool, AFullPoolTimesOutAndCountsIt) {
  metrics::MetricsRegistry registry;
  pg::Pool pool(Options(Harness::Get().cluster().Url(), 1, "it-pool-full"), registry);
  auto held = pool.TryAcquire();
  ASSERT_TRUE(held.ok()) << held.error().message;
  const auto started = Clock::now();
  auto second = pool.TryAcquire();
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().kind, core::ErrorKind::kUnavailable);
  EXPECT_EQ(second.error().message, "all database connections are busy");
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(10));
  EXPECT_THROW(pool.Acquire(), core::Failure);
  const std::string text = registry.Serialize();
  EXPECT_TRUE(Contains(text, "dataplane_db_pool_acquire_failures_total{reason=\"timeout\"} 2"))
      << text;
  EXPECT_TRUE(Contains(text, "dataplane_db_pool_connections{state=\"in_use\"} 1")) << text;
}

TEST(Pool, TheCallersDeadlineBoundsTheWait) {
  metrics::MetricsRegistry registry;
  pg::PoolOptions options = Options(Harness::Get().cluster().Url(), 1, "it-pool-deadline");
  options.acquire_timeout = std::chrono::seconds(60);
  pg::Pool pool(options, registry);
  auto held = pool.TryAcquire();
  ASSERT_TRUE(held.ok());
  const auto started = Clock::now();
  auto second = pool.TryAcquire(Clock::now() + std::chrono::milliseconds(100));
  EXPECT_FALSE(second.ok());
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(30)) << "not the 60 s acquire timeout";
}

TEST(Pool, HealsAfterItsServerConnectionsAreKilled) {
  metrics::MetricsRegistry registry;
  const std::string name = "it-pool-heal-" + NewKey().substr(0, 8);
  pg::Pool pool(Options(Harness::Get().cluster().Url(), 2, name), registry);
  ASSERT_TRUE(pool.Warm().ok());
  auto admin = Harness::Get().Db();
  auto killed = admin->Exec(
      "SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity "
      "WHERE application_name = $1",
      {name});
  ASSERT_GE(killed.Int64(0, 0), 1);

  {  // the idle connection is dead; using it fails and the lease drops it
    auto lease = pool.TryAcquire();
    ASSERT_TRUE(lease.ok());
    auto dead = (**lease).TryExec("SELECT 1");
    ASSERT_FALSE(dead.ok());
    EXPECT_TRUE(pg::Is(dead.error(), pg::SqlFailure::kConnectionLost)) << dead.error().code;
  }
  EXPECT_EQ(pool.GetStats().idle, 0) << "the broken connection and its idle peers were dropped";
  EXPECT_EQ(pool.GetStats().in_use, 0);
  auto fresh = pool.TryAcquire();
  ASSERT_TRUE(fresh.ok()) << fresh.error().message;
  auto alive = (**fresh).TryExec("SELECT 1");
  EXPECT_TRUE(alive.ok()) << alive.error().message;
}

TEST(Pool, AnUnreachableServerIsUnavailableAndCounted) {
  metrics::MetricsRegistry registry;
  pg::PoolOptions options =
      Options("postgresql://nobody@127.0.0.1:1/none", 2, "it-pool-unreachable");
  options.connect.connect_timeout = std::chrono::seconds(1);
  pg::Pool pool(options, registry);
  const core::Status warmed = pool.Warm();
  ASSERT_FALSE(warmed.ok());
  EXPECT_EQ(warmed.error().kind, core::ErrorKind::kUnavailable);
  EXPECT_TRUE(Contains(registry.Serialize(),
                       "dataplane_db_pool_acquire_failures_total{reason=\"connect\"} 1"));
  EXPECT_EQ(pool.GetStats().in_use, 0) << "the failed connect gave its slot back";
}

}  // namespace
}  // namespace dataplane::testing
