// The Local API's background parts on the real server: the health monitor's probe, and the
// maintenance scheduler's ticks, failures, metrics and stop.
#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "harness.h"
#include "local_api/health_monitor.h"
#include "local_api/maintenance_scheduler.h"
#include "metrics/registry.h"
#include "pg/pool.h"

namespace dataplane::testing {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(HealthMonitor, AReachableDatabaseAnswersWithALatency) {
  local_api::HealthMonitor monitor({Harness::Get().cluster().Url()}, milliseconds(100));
  monitor.Start();
  local_api::DatabaseHealth health;
  for (int i = 0; i < 100 && !health.reachable; ++i) {
    std::this_thread::sleep_for(milliseconds(50));
    health = monitor.Get();
  }
  monitor.Stop();
  EXPECT_TRUE(health.reachable) << health.error;
  EXPECT_EQ(health.error, "");
  EXPECT_GT(health.checked_at, 0);
  EXPECT_GT(health.latency_ms, 0);
}

TEST(HealthMonitor, AnUnreachableDatabaseIsReported) {
  pg::ConnectOptions nowhere{"postgresql://nobody@127.0.0.1:1/none"};
  nowhere.connect_timeout = seconds(1);
  local_api::HealthMonitor monitor(nowhere, milliseconds(100));
  const local_api::DatabaseHealth probed = monitor.ProbeNow();
  EXPECT_FALSE(probed.reachable);
  EXPECT_NE(probed.error, "");
}

TEST(HealthMonitor, GetAnswersAtOnceWhileAProbeHangs) {
  // A server that accepts connections (the kernel completes the handshake) and never answers:
  // each probe waits out its connect timeout, and Get() must not wait with it.
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor silent(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  pg::ConnectOptions frozen{
      "postgresql://nobody@127.0.0.1:" + std::to_string(silent.local_endpoint().port()) + "/none"};
  frozen.connect_timeout = seconds(2);
  local_api::HealthMonitor monitor(frozen, milliseconds(100));
  monitor.Start();
  std::this_thread::sleep_for(milliseconds(300));  // the first probe is now stuck connecting
  const auto started = Clock::now();
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(monitor.Get().reachable);
  EXPECT_LT(Clock::now() - started, milliseconds(500)) << "Get() never waits for a probe";
  monitor.Stop();
}

struct Scheduled {
  Scheduled(std::vector<local_api::MaintenanceTask> tasks)
      : pool(PoolOptions(), registry), scheduler(pool, registry, std::move(tasks)) {}
  static pg::PoolOptions PoolOptions() {
    pg::PoolOptions options;
    options.connect.url = Harness::Get().cluster().Url();
    options.min_size = 1;
    options.max_size = 2;
    return options;
  }
  metrics::MetricsRegistry registry;
  pg::Pool pool;
  local_api::MaintenanceScheduler scheduler;
};

TEST(MaintenanceScheduler, TasksRunAtTheirIntervalAndAFailureRunsAgainNextTick) {
  std::atomic<int> ok_runs{0}, failing_runs{0};
  Scheduled s({
      {"ticking", seconds(1),
       [&ok_runs](pg::Connection& conn) {
         conn.Exec("SELECT 1");
         ++ok_runs;
       }},
      {"failing", seconds(1),
       [&failing_runs](pg::Connection& conn) {
         ++failing_runs;
         conn.Exec("SELECT no_such_function()");  // throws core::Failure
       }},
      {"hourly", std::chrono::hours(1), [](pg::Connection&) { FAIL() << "ran before its hour"; }},
  });
  s.scheduler.Start();
  const auto deadline = Clock::now() + seconds(60);
  while ((ok_runs < 2 || failing_runs < 2) && Clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(50));
  }
  const auto stopping = Clock::now();
  s.scheduler.Stop();
  EXPECT_LT(Clock::now() - stopping, seconds(10)) << "Stop() does not wait for the hourly task";
  EXPECT_GE(ok_runs.load(), 2);
  EXPECT_GE(failing_runs.load(), 2) << "a failed task runs again at its next tick";

  const std::string text = s.registry.Serialize();
  EXPECT_NE(text.find("dataplane_maintenance_runs_total{task=\"ticking\",result=\"ok\"} " +
                      std::to_string(ok_runs.load()) + "\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("dataplane_maintenance_runs_total{task=\"failing\",result=\"error\"} " +
                      std::to_string(failing_runs.load()) + "\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("dataplane_maintenance_last_success_timestamp_seconds{task=\"ticking\"}"),
            std::string::npos);
  EXPECT_NE(text.find("dataplane_maintenance_last_success_timestamp_seconds{task=\"failing\"} 0\n"),
            std::string::npos)
      << "a task that never succeeded shows 0";
}

TEST(MaintenanceScheduler, RunNowRunsANamedTaskAndRefusesAnUnknownOne) {
  int runs = 0;
  Scheduled s({{"once", std::chrono::hours(1), [&runs](pg::Connection&) { ++runs; }}});
  EXPECT_TRUE(s.scheduler.RunNow("once").ok());
  EXPECT_EQ(runs, 1);
  const core::Status unknown = s.scheduler.RunNow("nope");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, core::ErrorKind::kNotFound);
}

}  // namespace
}  // namespace dataplane::testing
