// `dataplane migrate` and the seed's psql path both install the schema, any number of times;
// the Local API refuses a database that has not been migrated.
#include <cstdlib>

#include <gtest/gtest.h>

#include "harness.h"
#include "pg/migrations.h"

namespace dataplane::testing {
namespace {

std::string UrlOf(const std::string& database) { return Harness::Get().UrlOf(database); }
void CreateDatabase(const std::string& name) { Harness::Get().RecreateDatabase(name); }

TEST(Migrations, ApplyingTwiceChangesNothingTheSecondTime) {
  CreateDatabase("it_migrate");
  auto conn = pg::Connection::Open({UrlOf("it_migrate")});
  ASSERT_TRUE(conn.ok());
  const pg::MigrationReport first = pg::Migrate(**conn);
  EXPECT_EQ(first.applied, 3);
  const pg::MigrationReport second = pg::Migrate(**conn);
  EXPECT_EQ(second.applied, 0);
  EXPECT_EQ(second.skipped, 3);
  EXPECT_TRUE(pg::CheckSchema(**conn).ok());
  EXPECT_EQ((*conn)->Exec("SELECT count(*) FROM schema_migrations").Int64(0, 0), 3);
}

TEST(Migrations, SeedPsqlInstallPathWorksTwice) {
  CreateDatabase("it_psql");
  const std::string sql_dir = std::string(DATAPLANE_SOURCE_DIR) + "/database/sql/";
  for (int round = 0; round < 2; ++round) {
    for (const char* file :
         {"schema.sql", "timescaledb_enhancements.sql", "timescaledb_config.sql"}) {
      const std::string command = "psql -X -q -v ON_ERROR_STOP=1 '" + UrlOf("it_psql") + "' -f " +
                                  sql_dir + file + " > /dev/null";
      EXPECT_EQ(std::system(command.c_str()), 0) << command;
    }
  }
  auto conn = pg::Connection::Open({UrlOf("it_psql")});
  ASSERT_TRUE(conn.ok());
  EXPECT_TRUE(pg::CheckSchema(**conn).ok());
  if (OnTimescaleDb()) {
    EXPECT_EQ((*conn)
                  ->Exec("SELECT count(*) FROM timescaledb_information.hypertables "
                         "WHERE hypertable_name IN ('event', 'job', 'subjob')")
                  .Int64(0, 0),
              3);
    return;
  }
  // Today's and tomorrow's daily partitions exist for the three time-series tables, and no
  // past ones (the writer makes those on demand).
  for (const char* table : {"event", "job", "subjob"}) {
    EXPECT_EQ((*conn)
                  ->Exec("SELECT count(*) FROM pg_inherits WHERE inhparent = $1::regclass AND "
                         "inhrelid::regclass::text IN ($1 || to_char(now() AT TIME ZONE 'UTC', "
                         "'_pYYYYMMDD'), $1 || to_char((now() AT TIME ZONE 'UTC') + interval "
                         "'1 day', '_pYYYYMMDD'))",
                         {std::string(table)})
                  .Int64(0, 0),
              2)
        << table;
  }
  EXPECT_EQ((*conn)
                ->Exec("SELECT count(*) FROM pg_inherits WHERE inhparent = 'event'::regclass AND "
                       "right(inhrelid::regclass::text, 8) < to_char((now() AT TIME ZONE 'UTC') - "
                       "interval '1 day', 'YYYYMMDD')")
                .Int64(0, 0),
            0);  // yesterday's would be today's if the day ended during the test
  EXPECT_EQ((*conn)
                ->Exec("SELECT count(*) FROM pg_inherits WHERE inhparent = 'job'::regclass")
                .Int64(0, 0),
            (*conn)
                ->Exec("SELECT count(*) FROM pg_inherits WHERE inhparent = 'event'::regclass")
                .Int64(0, 0));
}

TEST(Migrations, LocalApiRefusesAnUnmigratedDatabase) {
  CreateDatabase("it_empty");
  local_api::LocalApiConfig config = Harness::Get().ApiConfig();
  config.database_url = UrlOf("it_empty");
  TestApi api(config);
  auto started = api.Start(std::chrono::seconds(2));
  ASSERT_FALSE(started.ok());
  EXPECT_NE(started.error().message.find("dataplane migrate"), std::string::npos)
      << started.error().message;
}

TEST(Migrations, EnsurePartitionsCreatesMissingDaysOnly) {
  auto conn = Harness::Get().Db();
  const auto created =
      conn->Exec("SELECT ensure_partitions(current_date + 30, current_date + 31)").Int64(0, 0);
  EXPECT_EQ(created, OnTimescaleDb() ? 0 : 6);  // two days for event, job and subjob; or chunks
  EXPECT_EQ(
      conn->Exec("SELECT ensure_partitions(current_date + 30, current_date + 31)").Int64(0, 0), 0);
}

}  // namespace
}  // namespace dataplane::testing
