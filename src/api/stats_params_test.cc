// Tests of the parameters of GET /v1/stats/jobs, and of the UTC bucket arithmetic (hours,
// days, Monday weeks, calendar months) that must match the aggregates'.
#include "api/stats_params.h"

#include <gtest/gtest.h>

#include "api/params_test_time.h"

namespace dataplane::api {
namespace {

using test::At;
using test::kNow;
using test::Str;

TEST(StatsBuckets, StartAndNextOfEachBucketSize) {
  const core::Micros t = At("2026-11-29T10:17:42.5Z");
  EXPECT_EQ(Str(BucketStart(StatsBucket::kHour, t)), "2026-11-29T10:00:00Z");
  EXPECT_EQ(Str(BucketStart(StatsBucket::kDay, t)), "2026-11-29T00:00:00Z");
  EXPECT_EQ(Str(BucketStart(StatsBucket::kWeek, t)), "2026-11-23T00:00:00Z");  // Monday
  EXPECT_EQ(Str(BucketStart(StatsBucket::kWeek, At("2026-11-30T00:00:00Z"))),
            "2026-11-30T00:00:00Z");
  EXPECT_EQ(Str(BucketStart(StatsBucket::kMonth, t)), "2026-11-01T00:00:00Z");
  EXPECT_EQ(Str(NextBucket(StatsBucket::kMonth, At("2026-12-01T00:00:00Z"))),
            "2027-01-01T00:00:00Z");
  EXPECT_EQ(Str(NextBucket(StatsBucket::kMonth, At("2024-02-01T00:00:00Z"))),
            "2024-03-01T00:00:00Z");
  EXPECT_EQ(Str(NextBucket(StatsBucket::kWeek, At("2026-11-23T00:00:00Z"))),
            "2026-11-30T00:00:00Z");
  EXPECT_EQ(Str(BucketStart(StatsBucket::kWeek, At("1970-01-01T12:00:00Z"))),
            "1969-12-29T00:00:00Z");
}

StatsRequest ParseOk(const std::string& target) {
  auto r = ParseStatsRequest(target, kNow);
  EXPECT_TRUE(r.ok()) << target << ": " << r.error().message;
  return r.ok() ? *r : StatsRequest{};
}

TEST(StatsRequestTest, DefaultsToTotalsOfTheLastDayFromHours) {
  const StatsRequest r = ParseOk("/v1/stats/jobs");
  EXPECT_FALSE(r.bucket);
  EXPECT_EQ(r.source, StatsBucket::kHour);
  EXPECT_EQ(Str(r.from), "2026-11-28T10:00:00Z");
  EXPECT_EQ(Str(r.to), "2026-11-29T11:00:00Z");
  EXPECT_FALSE(r.by_site || r.by_app || r.by_status);
}

TEST(StatsRequestTest, TotalsComeFromTheCoarsestAggregateThatTilesTheRange) {
  EXPECT_EQ(ParseOk("/v1/stats/jobs?from=2026-10-01T00:00:00Z&to=2026-12-01T00:00:00Z").source,
            StatsBucket::kMonth);
  EXPECT_EQ(ParseOk("/v1/stats/jobs?from=2026-11-16T00:00:00Z&to=2026-11-30T00:00:00Z").source,
            StatsBucket::kWeek);
  EXPECT_EQ(ParseOk("/v1/stats/jobs?from=2026-11-02T00:00:00Z&to=2026-11-05T00:00:00Z").source,
            StatsBucket::kDay);
  const StatsRequest odd =
      ParseOk("/v1/stats/jobs?from=2026-11-02T10:17:00Z&to=2026-11-02T14:02:00Z");
  EXPECT_EQ(odd.source, StatsBucket::kHour);
  EXPECT_EQ(Str(odd.from), "2026-11-02T10:00:00Z");
  EXPECT_EQ(Str(odd.to), "2026-11-02T15:00:00Z");
}

TEST(StatsRequestTest, ABucketGivesATimeSeriesAlignedToIt) {
  const StatsRequest r = ParseOk(
      "/v1/stats/jobs?bucket=1w&from=2026-11-04T00:00:00Z&to=2026-11-25T00:00:00Z"
      "&group_by=status,site,status&site_id=fab1");
  ASSERT_TRUE(r.bucket);
  EXPECT_EQ(*r.bucket, StatsBucket::kWeek);
  EXPECT_EQ(r.source, StatsBucket::kWeek);
  EXPECT_EQ(Str(r.from), "2026-11-02T00:00:00Z");
  EXPECT_EQ(Str(r.to), "2026-11-30T00:00:00Z");
  EXPECT_TRUE(r.by_status && r.by_site && !r.by_app);
  EXPECT_EQ(*r.site_id, "fab1");
  EXPECT_EQ(ParseOk("/v1/stats/jobs?bucket=1mo").source, StatsBucket::kMonth);
}

TEST(StatsRequestTest, StatusAndAppNameFilterTheJobs) {
  const StatsRequest r =
      ParseOk("/v1/stats/jobs?status=failed,canceled,failed&app_name=Litho%25_x&status=running");
  EXPECT_EQ(r.statuses, (std::vector<std::string>{"failed", "canceled", "running"}));
  EXPECT_EQ(r.app_name, "Litho%_x");  // taken literally: the query matches a substring
  const StatsRequest none = ParseOk("/v1/stats/jobs");
  EXPECT_TRUE(none.statuses.empty());
  EXPECT_EQ(none.app_name, std::nullopt);
}

TEST(StatsRequestTest, FormatIsPlainByDefaultOrMergeable) {
  EXPECT_EQ(ParseOk("/v1/stats/jobs").format, StatsFormat::kPlain);
  EXPECT_EQ(ParseOk("/v1/stats/jobs?format=plain").format, StatsFormat::kPlain);
  EXPECT_EQ(ParseOk("/v1/stats/jobs?format=mergeable&group_by=site").format,
            StatsFormat::kMergeable);
}

TEST(StatsRequestTest, BadParametersAreRefusedByName) {
  for (auto [target, field] : std::initializer_list<std::pair<const char*, const char*>>{
           {"/v1/stats/jobs?bucket=2h", "bucket"},
           {"/v1/stats/jobs?group_by=site,tool", "group_by"},
           {"/v1/stats/jobs?group_by=", "group_by"},
           {"/v1/stats/jobs?from=yesterday", "from"},
           {"/v1/stats/jobs?from=2026-11-29T00:00:00Z&to=2026-11-28T00:00:00Z", "from"},
           {"/v1/stats/jobs?limit=5", "limit"},
           {"/v1/stats/jobs?status=done", "status"},
           {"/v1/stats/jobs?status=", "status"},
           {"/v1/stats/jobs?status=failed,", "status"},
           {"/v1/stats/jobs?status=Failed", "status"},
           {"/v1/stats/jobs?format=csv", "format"},
           {"/v1/stats/jobs?format=", "format"},
           {"/v1/stats/jobs?format=MERGEABLE", "format"}}) {
    auto r = ParseStatsRequest(target, kNow);
    ASSERT_FALSE(r.ok()) << target;
    EXPECT_EQ(r.error().kind, core::ErrorKind::kInvalidInput) << target;
    EXPECT_EQ(r.error().field, field) << target;
  }
}

}  // namespace
}  // namespace dataplane::api
