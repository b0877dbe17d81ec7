// TimescaleDB is not installable on our machines, so its branch of the SQL files never runs in
// the tests. This reads the files and checks that the branch names every object the plain
// PostgreSQL branch creates (and only documented TimescaleDB 2.x calls), so none is forgotten:
// hypertables for the three time-series tables, a continuous aggregate with a refresh and a
// retention policy per statistics level, compression with a policy per raw table, no retention
// policy on raw data, and the TimescaleDB side of the health views.
#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

namespace dataplane::testing {
namespace {

std::string ReadSql(const std::string& file) {
  std::ifstream in(std::string(DATAPLANE_SOURCE_DIR) + "/database/sql/" + file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The text of each `IF <condition> THEN … (ELSE | END IF)` branch that starts at `condition`,
// nested IF blocks included.
std::string TimescaleBranches(const std::string& sql, const std::string& condition) {
  static const std::regex keyword(R"(\bEND IF\b|\bELSE\b|\bELSIF\b|\bIF\b)");
  std::string out;
  for (std::size_t pos = sql.find(condition); pos != std::string::npos;
       pos = sql.find(condition, pos + 1)) {
    const std::size_t body = pos + condition.size();
    int depth = 1;
    std::size_t end = sql.size();
    for (auto it = std::sregex_iterator(sql.begin() + static_cast<std::ptrdiff_t>(body), sql.end(),
                                        keyword);
         it != std::sregex_iterator(); ++it) {
      const std::string word = it->str();
      if (word == "IF") {
        ++depth;
      } else if (word == "END IF") {
        --depth;
      }
      if (depth == 0 || (depth == 1 && (word == "ELSE" || word == "ELSIF"))) {
        end = body + static_cast<std::size_t>(it->position());
        break;
      }
    }
    out += sql.substr(pos, end - pos) + "\n";
  }
  return out;
}

bool Has(const std::string& text, const std::string& pattern) {
  return std::regex_search(text, std::regex(pattern));
}

TEST(TimescaleBranch, SchemaMakesTheThreeTablesHypertables) {
  const std::string branch = TimescaleBranches(ReadSql("schema.sql"), "IF use_timescaledb THEN");
  for (const char* table : {"event", "job", "subjob"}) {
    EXPECT_TRUE(Has(branch, std::string("create_hypertable\\('") + table + "'")) << table;
  }
  EXPECT_TRUE(Has(branch, "chunk_time_interval => interval '1 day'"));
}

TEST(TimescaleBranch, EveryStatisticsLevelIsAContinuousAggregateWithPolicies) {
  const std::string sql = ReadSql("timescaledb_enhancements.sql");
  const std::string branch = TimescaleBranches(sql, "IF use_timescaledb THEN");
  // The levels the loop creates, both paths: all four names, hourly on job, the rest hierarchical.
  for (const char* level : {"job_hourly_stats', +interval '1 hour', +'job'",
                            "job_daily_stats', +interval '1 day', +'job_hourly_stats'",
                            "job_weekly_stats', +interval '1 week', +'job_daily_stats'",
                            "job_monthly_stats', +interval '1 month', +'job_daily_stats'"}) {
    EXPECT_TRUE(Has(sql, level)) << level;
  }
  EXPECT_TRUE(Has(branch, "CREATE MATERIALIZED VIEW %I WITH \\(timescaledb.continuous"));
  EXPECT_TRUE(Has(branch, "time_bucket\\("));
  EXPECT_TRUE(Has(branch, "add_continuous_aggregate_policy\\(lvl.name"));
  EXPECT_TRUE(Has(branch, "add_retention_policy\\(lvl.name::regclass, drop_after => cfg.keep"));
  // The plain branch's counterpart exists for the same loop.
  EXPECT_TRUE(Has(sql, "CREATE TABLE %I AS %s"));
}

TEST(TimescaleBranch, RawTablesAreCompressedButNeverDroppedByAPolicy) {
  const std::string sql = ReadSql("timescaledb_enhancements.sql");
  const std::string branch = TimescaleBranches(sql, "IF use_timescaledb THEN");
  for (const char* table : {"event", "job", "subjob"}) {
    EXPECT_TRUE(Has(branch, std::string("\\('") + table + "', '")) << table;  // compressed
    EXPECT_FALSE(Has(sql, std::string("add_retention_policy\\('") + table + "'")) << table;
  }
  EXPECT_TRUE(Has(branch, "ALTER TABLE %I SET \\(timescaledb.compress, "));
  EXPECT_TRUE(Has(branch, "compress_segmentby = %L"));
  EXPECT_TRUE(Has(branch, "'site_id, app_id, status'"));
  EXPECT_TRUE(Has(branch,
                  "add_compression_policy\\(lvl.name::regclass, compress_after => "
                  "interval '3 days'"));
  // The only retention policy is the aggregates' one.
  const std::regex retention("add_retention_policy\\(");
  EXPECT_EQ(std::distance(std::sregex_iterator(sql.begin(), sql.end(), retention),
                          std::sregex_iterator()),
            1);
}

TEST(TimescaleBranch, HealthObjectsReadTimescaleCatalogsWhenPresent) {
  const std::string sql = ReadSql("timescaledb_enhancements.sql");
  const std::string compression =
      TimescaleBranches(sql, "extname = 'timescaledb') THEN\n    RETURN QUERY");
  EXPECT_TRUE(Has(compression, "timescaledb_information.chunks"));
  EXPECT_TRUE(Has(compression, "chunk_compression_stats"));
  const std::string monitor = TimescaleBranches(sql, "IF ts THEN");
  EXPECT_TRUE(Has(monitor, "timescaledb_information.continuous_aggregates"));
  EXPECT_TRUE(Has(monitor, "timescaledb_information.job_stats"));
}

}  // namespace
}  // namespace dataplane::testing
