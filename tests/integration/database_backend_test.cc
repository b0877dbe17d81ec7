// Which storage a database uses (schema.sql fixes it: TimescaleDB when the server preloads the
// extension, else native partitions) is named wherever an operator looks: healthz, /metrics,
// `db monitor`, `migrate`. A server with TimescaleDB installed but not preloaded migrates onto
// native partitions and says why, instead of losing its connection to a FATAL.
#include <cstdio>
#include <cstdlib>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "commands/monitor_report_text.h"
#include "harness.h"
#include "pg/db_monitor.h"
#include "pg/migrations.h"

namespace dataplane::testing {
namespace {
namespace json = boost::json;

std::string ExpectedBackend() { return OnTimescaleDb() ? "timescaledb" : "postgres"; }

TEST(DatabaseBackend, HealthzMetricsAndTheMonitorNameIt) {
  auto db = Harness::Get().Db();
  EXPECT_EQ(db->Exec("SELECT dataplane_backend()").Text(0, 0), ExpectedBackend());
  const std::string version =
      OnTimescaleDb() ? pg::EmbeddedCluster::InstalledTimescaleDbVersion() : "";

  auto client = Harness::Get().Client();
  auto health = client.Get("/v1/healthz");
  ASSERT_TRUE(health.ok());
  const json::value h = json::parse(health->body);
  EXPECT_EQ(h.at("database").at("backend").as_string(), ExpectedBackend());
  if (OnTimescaleDb()) {
    EXPECT_EQ(h.at("database").at("timescaledb_version").as_string(), version);
  } else {
    EXPECT_TRUE(h.at("database").at("timescaledb_version").is_null());
  }

  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics.ok());
  const std::string sample = "dataplane_database_backend_info{service=\"local_api\",backend=\"" +
                             ExpectedBackend() + "\",timescaledb_version=\"" + version + "\"} 1\n";
  EXPECT_NE(metrics->body.find(sample), std::string::npos) << sample;

  const std::string report = pg::FetchMonitorReport(*db, std::chrono::hours(72));
  EXPECT_EQ(json::parse(report).at("database").at("backend").as_string(), ExpectedBackend());
  auto text = commands::RenderMonitorReport(report);
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("  backend " + ExpectedBackend() + "\n"), std::string::npos) << *text;
}

// The state right after installing the TimescaleDB package: available, not preloaded. The plain
// PostgreSQL run's server is exactly that whenever the extension is installed on the machine.
TEST(DatabaseBackend, InstalledButNotPreloadedFallsBackToNativePartitions) {
  if (OnTimescaleDb())
    GTEST_SKIP() << "runs in the plain PostgreSQL run (a server without preload)";
  if (pg::EmbeddedCluster::InstalledTimescaleDbVersion().empty())
    GTEST_SKIP() << "TimescaleDB is not installed, so it cannot be installed-but-not-preloaded";
  Harness& harness = Harness::Get();
  ASSERT_EQ(harness.Scalar("SHOW shared_preload_libraries").find("timescaledb"), std::string::npos);

  // The seed's psql path: every file applies, with a NOTICE that says why and how.
  harness.RecreateDatabase("it_not_preloaded_psql");
  const std::string sql_dir = std::string(DATAPLANE_SOURCE_DIR) + "/database/sql/";
  std::string notices;
  for (const char* file :
       {"schema.sql", "timescaledb_enhancements.sql", "timescaledb_config.sql"}) {
    const std::string command = "psql -X -q -v ON_ERROR_STOP=1 '" +
                                harness.UrlOf("it_not_preloaded_psql") + "' -f " + sql_dir + file +
                                " 2>&1 >/dev/null";
    FILE* out = popen(command.c_str(), "r");
    ASSERT_NE(out, nullptr);
    char buf[4096];
    for (size_t n; (n = fread(buf, 1, sizeof buf, out)) > 0;) notices.append(buf, n);
    EXPECT_EQ(pclose(out), 0) << command << "\n" << notices;
  }
  EXPECT_NE(notices.find("TimescaleDB is installed but not preloaded"), std::string::npos)
      << notices;
  EXPECT_NE(notices.find("shared_preload_libraries"), std::string::npos) << notices;

  // `dataplane migrate`'s path: it succeeds, reports the backend and logs why.
  harness.RecreateDatabase("it_not_preloaded");
  auto conn = pg::Connection::Open({harness.UrlOf("it_not_preloaded")});
  ASSERT_TRUE(conn.ok());
  ::testing::internal::CaptureStderr();
  const pg::MigrationReport report = pg::Migrate(**conn);
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(report.backend.name, "postgres");
  EXPECT_TRUE(report.backend.timescaledb_version.empty());
  EXPECT_NE(report.backend.note.find("installed but not preloaded"), std::string::npos);
  EXPECT_NE(log.find("\"msg\":\"database backend\""), std::string::npos) << log;
  EXPECT_NE(log.find("not preloaded"), std::string::npos) << log;
  EXPECT_TRUE(pg::CheckSchema(**conn).ok());
  EXPECT_EQ(
      (*conn)->Exec("SELECT count(*) FROM pg_extension WHERE extname = 'timescaledb'").Int64(0, 0),
      0);
  EXPECT_EQ(
      (*conn)->Exec("SELECT relkind::text FROM pg_class WHERE oid = 'event'::regclass").Text(0, 0),
      "p");
  const std::string monitor = pg::FetchMonitorReport(**conn, std::chrono::hours(72));
  auto text = commands::RenderMonitorReport(monitor);
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("  note: TimescaleDB is installed but not preloaded"), std::string::npos)
      << *text;
}

}  // namespace
}  // namespace dataplane::testing
