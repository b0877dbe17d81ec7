// api::DurationHistogram reproduces the SQL functions of 020_job_stats_functions.sql: for
// durations on, and one ulp beside, bin bounds and spread over nine decades, the same bin as
// duration_histogram(), the same histogram after a merge as duration_histogram_merge(), and,
// to the last bit, the same percentiles as duration_histogram_percentile().
#include <charconv>
#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "api/duration_histogram.h"
#include "harness.h"

namespace dataplane::testing {
namespace {

using api::DurationHistogram;

// A PostgreSQL array literal of `values`, each in its shortest round-trip form.
std::string ArrayLiteral(const std::vector<double>& values) {
  std::string out = "{";
  for (double v : values) {
    if (out.size() > 1) out += ',';
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, end);
  }
  return out + "}";
}

std::vector<double> Durations() {
  std::vector<double> out = {0, 0.0005, 0.001, 1e19};
  for (int bin = 1; bin <= DurationHistogram::kMaxBin; bin += 3) {
    const double lo = DurationHistogram::LowerBound(bin);
    out.insert(out.end(), {lo, std::nextafter(lo, 0.0), std::nextafter(lo, 1e300)});
  }
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> exponent(-4, 5);
  for (int i = 0; i < 2000; ++i) out.push_back(std::pow(10.0, exponent(rng)));
  return out;
}

const std::vector<double> kPs = {0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 1};

TEST(DurationHistogramSql, EveryDurationInTheSameBin) {
  const std::vector<double> durations = Durations();
  pg::PgResult bins = Harness::Get().Db()->Exec(
      "SELECT array_lower(duration_histogram_add(NULL, v), 1) "
      "FROM unnest($1::float8[]) WITH ORDINALITY AS u(v, i) ORDER BY i",
      {ArrayLiteral(durations)});
  ASSERT_EQ(bins.Rows(), static_cast<int>(durations.size()));
  for (std::size_t i = 0; i < durations.size(); ++i) {
    EXPECT_EQ(DurationHistogram::BinOf(durations[i]), bins.Int64(static_cast<int>(i), 0))
        << durations[i];
  }
}

// Three histograms of every third duration, merged: in SQL and here.
TEST(DurationHistogramSql, MergedHistogramAndItsPercentilesAreTheSame) {
  const std::vector<double> durations = Durations();
  DurationHistogram parts[3];
  for (std::size_t i = 0; i < durations.size(); ++i) parts[i % 3].Add(durations[i]);
  DurationHistogram merged;
  for (const DurationHistogram& part : parts) merged.Merge(part);
  pg::PgResult sql = Harness::Get().Db()->Exec(
      "WITH parts AS (SELECT duration_histogram(v) AS h FROM unnest($1::float8[]) "
      "WITH ORDINALITY AS u(v, i) GROUP BY i % 3), "
      "merged AS (SELECT duration_histogram_merge(h) AS h FROM parts) "
      "SELECT '{\"first_bin\":' || array_lower(h, 1) || ',\"counts\":' || array_to_json(h) || "
      "'}', duration_histogram_percentile(h, p) FROM merged, unnest($2::float8[]) "
      "WITH ORDINALITY AS q(p, i) ORDER BY q.i",
      {ArrayLiteral(durations), ArrayLiteral(kPs)});
  ASSERT_EQ(sql.Rows(), static_cast<int>(kPs.size()));
  auto from_sql = DurationHistogram::FromJsonText(sql.Text(0, 0));
  ASSERT_TRUE(from_sql.ok()) << from_sql.error().message;
  EXPECT_EQ(*from_sql, merged);
  for (std::size_t i = 0; i < kPs.size(); ++i) {
    EXPECT_EQ(merged.Percentile(kPs[i]), sql.Double(static_cast<int>(i), 1)) << kPs[i];
  }
}

}  // namespace
}  // namespace dataplane::testing
