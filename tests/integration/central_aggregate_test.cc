// GET /v1/jobs/aggregate over three real sites (issue 10): counts are the sums of the sites' own
// counts, and the merged percentiles match a recomputation over every site's raw durations
// within the histogram's stated error.
#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "central_world.h"
#include "harness.h"
#include "job_stats_events.h"

namespace dataplane::testing {
namespace {
namespace json = boost::json;

json::value GetJson(http::HttpClient& client, const std::string& target, int expected = 200) {
  auto reply = client.Get(target);
  EXPECT_TRUE(reply.ok()) << target;
  if (!reply.ok()) return nullptr;
  EXPECT_EQ(reply->status, expected) << target << " -> " << reply->body;
  return json::parse(reply->body);
}

// percentile_cont over sorted values.
double ExactPercentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  const double rank = p * static_cast<double>(values.size() - 1);
  const std::size_t low = static_cast<std::size_t>(std::floor(rank));
  const std::size_t high = std::min(low + 1, values.size() - 1);
  return values[low] + (values[high] - values[low]) * (rank - static_cast<double>(low));
}

// Three sites; in one hour five hours ago each has jobs of its own durations, two apps.
class CentralAggregate : public ::testing::Test {
 protected:
  static constexpr int kSites = 3;
  static constexpr core::Micros kHour = 3600 * core::kMicrosPerSecond;

  static void SetUpTestSuite() {
    hour_ = (HoursAgo(5) / kHour) * kHour;
    for (int i = 0; i < kSites; ++i) {
      const std::string database = "it_aggregate_site" + std::to_string(i + 1);
      const std::string site_id = "fab" + std::to_string(i + 1);
      sites_[i] = StartSite(database, site_id);
      ASSERT_TRUE(sites_[i]);
      auto db = pg::Connection::Open({Harness::Get().UrlOf(database)});
      ASSERT_TRUE(db.ok());
      std::vector<StatsEvent> events;
      for (int n = 0; n < 20 + 15 * i; ++n) {
        const std::string job = NewUuid();
        const core::Micros at = hour_ + n * 30 * core::kMicrosPerSecond;
        const int app = n % 2;
        const double duration = (i + 1) * 7.5 + n * n * 0.37;  // different spreads per site
        events.push_back({.site = site_id, .job = job, .app = app, .at = at});
        if (n % 5 == 4) continue;  // still running
        const bool failed = n % 7 == 3;
        events.push_back({.site = site_id,
                          .job = job,
                          .app = app,
                          .kind = "finished",
                          .status = failed ? "failed" : "succeeded",
                          .at = at + core::kMicrosPerSecond,
                          .duration_s = duration,
                          .cpu_user_s = duration / 2,
                          .mem_max_mb = 100.0 + n});
        durations_.push_back(duration);
      }
      auto client = http::HttpClient("127.0.0.1", sites_[i]->port());
      PostAll(events, client);
      Refresh(**db);
    }
  }
  static void TearDownTestSuite() {
    for (auto& site : sites_) site.reset();
  }

  static std::string SiteUrls() {
    std::string urls;
    for (int i = 0; i < kSites; ++i) urls += (i ? "," : "") + SiteUrl(sites_[i]->port());
    return urls;
  }
  static std::string Range() {
    return "from=" + core::FormatRfc3339(hour_) + "&to=" + core::FormatRfc3339(hour_ + kHour);
  }
  static inline std::unique_ptr<TestApi> sites_[kSites];
  static inline std::vector<double> durations_;
  static inline core::Micros hour_ = 0;
};

TEST_F(CentralAggregate, CountsAreTheSumsOfTheSitesOwnCounts) {
  TestCentral central(CentralConfigFor(SiteUrls()));
  ASSERT_TRUE(central.Start().ok());
  http::HttpClient client("127.0.0.1", central.port());
  json::value answer = GetJson(client, "/v1/jobs/aggregate?group_by=site,app,status&" + Range());
  EXPECT_EQ(answer.at("partial"), false);
  EXPECT_EQ(answer.at("p95_method"), "merged_histogram");
  std::int64_t total = 0;
  for (int i = 0; i < kSites; ++i) {
    auto site = http::HttpClient("127.0.0.1", sites_[i]->port());
    json::value own = GetJson(site, "/v1/stats/jobs?group_by=app,status&" + Range());
    const std::string id = "fab" + std::to_string(i + 1);
    std::int64_t site_total = 0;
    for (const json::value& item : own.at("items").as_array()) {
      site_total += item.at("job_count").as_int64();
      // The same group in the Central API's answer, counts equal.
      bool found = false;
      for (const json::value& merged : answer.at("items").as_array()) {
        if (merged.at("site_id") != json::value(id) || merged.at("app_id") != item.at("app_id") ||
            merged.at("status") != item.at("status")) {
          continue;
        }
        found = true;
        for (const char* count :
             {"job_count", "succeeded_count", "failed_count", "canceled_count"}) {
          EXPECT_EQ(merged.at(count), item.at(count)) << id << " " << count;
        }
        EXPECT_EQ(merged.at("duration_s").at("max"), item.at("duration_s").at("max"));
      }
      EXPECT_TRUE(found) << id << " " << json::serialize(item);
    }
    bool listed = false;
    for (const json::value& entry : answer.at("by_site").as_array()) {
      if (entry.at("site_id") != json::value(id)) continue;
      listed = true;
      EXPECT_EQ(entry.at("job_count").as_int64(), site_total) << id;
    }
    EXPECT_TRUE(listed) << id;
    total += site_total;
  }
  EXPECT_GT(total, 0);
  EXPECT_EQ(answer.at("total").at("job_count").as_int64(), total);
  EXPECT_EQ(answer.at("total").at("duration_s").at("count").as_int64(),
            static_cast<std::int64_t>(durations_.size()));
}

TEST_F(CentralAggregate, MergedPercentilesMatchAllSitesRawDurations) {
  TestCentral central(CentralConfigFor(SiteUrls()));
  ASSERT_TRUE(central.Start().ok());
  http::HttpClient client("127.0.0.1", central.port());
  json::value answer = GetJson(client, "/v1/jobs/aggregate?" + Range());
  const json::value& duration = answer.at("total").at("duration_s");
  auto first = http::HttpClient("127.0.0.1", sites_[0]->port());
  const json::value first_stats = GetJson(first, "/v1/stats/jobs?" + Range());
  const json::value& one_site = first_stats.at("items").at(0).at("duration_s");
  ASSERT_GT(durations_.size(), 60u);
  for (const auto& [name, p] : {std::pair{"p50", 0.5}, std::pair{"p95", 0.95}}) {
    const double exact = ExactPercentile(durations_, p);
    const double merged = duration.at(name).to_number<double>();
    EXPECT_NEAR(merged, exact, exact * 0.025) << name;
    // The sites differ: one site's own percentile is not the merged one.
    EXPECT_GT(std::abs(one_site.at(name).to_number<double>() - exact), exact * 0.05) << name;
  }
  double sum = 0;
  for (double d : durations_) sum += d;
  EXPECT_NEAR(duration.at("avg").to_number<double>(), sum / durations_.size(), 1e-9 * sum);
  EXPECT_DOUBLE_EQ(duration.at("max").to_number<double>(),
                   *std::max_element(durations_.begin(), durations_.end()));
  EXPECT_DOUBLE_EQ(duration.at("min").to_number<double>(),
                   *std::min_element(durations_.begin(), durations_.end()));
}

TEST_F(CentralAggregate, TimeSeriesFiltersAndRefusals) {
  TestCentral central(CentralConfigFor(SiteUrls()));
  ASSERT_TRUE(central.Start().ok());
  http::HttpClient client("127.0.0.1", central.port());
  json::value series = GetJson(client, "/v1/jobs/aggregate?bucket=1h&" + Range());
  ASSERT_EQ(series.at("items").as_array().size(), 1u);
  EXPECT_EQ(series.at("items").at(0).at("bucket"), json::value(core::FormatRfc3339(hour_)));
  EXPECT_EQ(series.at("items").at(0).at("job_count"), series.at("total").at("job_count"));

  json::value failed = GetJson(client, "/v1/jobs/aggregate?status=failed&" + Range());
  EXPECT_EQ(failed.at("total").at("job_count"), failed.at("total").at("failed_count"));
  EXPECT_GT(failed.at("total").at("failed_count").as_int64(), 0);
  json::value app = GetJson(client, "/v1/jobs/aggregate?app_name=APP-1&group_by=app&" + Range());
  ASSERT_EQ(app.at("items").as_array().size(), 1u);
  EXPECT_EQ(app.at("items").at(0).at("app_name"), "app-1");
  json::value one = GetJson(client, "/v1/jobs/aggregate?sites=fab2&" + Range());
  EXPECT_EQ(one.at("by_site").as_array().size(), 1u);

  EXPECT_EQ(GetJson(client, "/v1/jobs/aggregate?job_key=x", 422).at("field"), "job_key");
  EXPECT_EQ(GetJson(client, "/v1/jobs/aggregate?group_by=day", 422).at("field"), "group_by");
  EXPECT_EQ(GetJson(client, "/v1/jobs/aggregate?format=plain", 422).at("field"), "format");
  EXPECT_EQ(GetJson(client, "/v1/jobs/aggregate?sites=nope", 422).at("field"), "sites");
}

TEST_F(CentralAggregate, ADeadSiteGivesAPartialAggregate) {
  TestCentral central(CentralConfigFor(SiteUrls() + ",dead=http://127.0.0.1:1"));
  ASSERT_TRUE(central.Start().ok());
  http::HttpClient client("127.0.0.1", central.port());
  json::value answer = GetJson(client, "/v1/jobs/aggregate?" + Range());
  EXPECT_EQ(answer.at("partial"), true);
  EXPECT_EQ(answer.at("by_site").as_array().size(), 3u);
  GetJson(client, "/v1/jobs/aggregate?partial_response=false&" + Range(), 502);
}

}  // namespace
}  // namespace dataplane::testing
