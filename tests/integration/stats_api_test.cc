// GET /v1/stats/jobs and GET /v1/alerts over real HTTP: known jobs give known statistics in
// every shape (totals, group_by, time series, filters); format=mergeable carries exactly what
// merging answers needs (answers of disjoint filters merge into the unfiltered one); alerts come
// back filtered, newest first.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "api/duration_histogram.h"
#include "harness.h"
#include "job_stats_events.h"

namespace dataplane::testing {
namespace {
namespace json = boost::json;

json::value GetJson(const std::string& target, int expected_status = 200) {
  auto reply = Harness::Get().Client().Get(target);
  EXPECT_TRUE(reply.ok()) << target;
  EXPECT_EQ(reply->status, expected_status) << target << " -> " << reply->body;
  return json::parse(reply->body);
}

std::string Rfc(core::Micros t) { return core::FormatRfc3339(t); }

class StatsApi : public ::testing::Test {
 protected:
  // In one hour, five hours ago: app-0 has 10 succeeded jobs of 10, 20, …, 100 s and one still
  // running; app-1 has 5 failed jobs of 50 s and one canceled of 5 s. Every job that ended used
  // 2.5 s of CPU and 100 MB.
  void SetUp() override {
    site_ = "api-" + NewUuid().substr(0, 8);
    hour_ = (HoursAgo(5) / (3600 * core::kMicrosPerSecond)) * 3600 * core::kMicrosPerSecond;
    std::vector<StatsEvent> events;
    auto job = [&](int app, int i, const std::string& kind, const std::string& status,
                   std::optional<double> d) {
      const std::string id = NewUuid();
      const core::Micros at = hour_ + i * 20 * core::kMicrosPerSecond;
      events.push_back({.site = site_, .job = id, .app = app, .at = at});
      if (kind.empty()) return;
      events.push_back({.site = site_,
                        .job = id,
                        .app = app,
                        .kind = kind,
                        .status = status,
                        .at = at + core::kMicrosPerSecond,
                        .duration_s = d,
                        .cpu_user_s = 2.5,
                        .mem_max_mb = 100});
    };
    for (int i = 1; i <= 10; ++i) job(0, i, "finished", "succeeded", 10.0 * i);
    job(0, 11, "", "", {});
    for (int i = 12; i <= 16; ++i) job(1, i, "finished", "failed", 50.0);
    job(1, 17, "canceled", "", 5.0);
    PostAll(events);
    Refresh();
  }

  std::string Range(core::Micros from, core::Micros to) {
    return "from=" + Rfc(from) + "&to=" + Rfc(to) + "&site_id=" + site_;
  }

  std::string site_;
  core::Micros hour_ = 0;
  static constexpr core::Micros kHour = 3600 * core::kMicrosPerSecond;
};

TEST_F(StatsApi, TotalsOverARange) {
  json::value v = GetJson("/v1/stats/jobs?" + Range(hour_, hour_ + kHour));
  EXPECT_EQ(v.at("source").as_string(), "job_hourly_stats");
  EXPECT_TRUE(v.at("bucket").is_null());
  EXPECT_EQ(v.at("from").as_string(), Rfc(hour_));
  ASSERT_EQ(v.at("count").as_int64(), 1);
  const json::value& all = v.at("items").at(0);
  EXPECT_EQ(all.at("job_count").as_int64(), 17);
  EXPECT_EQ(all.at("succeeded_count").as_int64(), 10);
  EXPECT_EQ(all.at("failed_count").as_int64(), 5);
  EXPECT_EQ(all.at("canceled_count").as_int64(), 1);
  EXPECT_DOUBLE_EQ(all.at("success_rate").as_double(), 10.0 / 16);
  EXPECT_DOUBLE_EQ(all.at("duration_s").at("min").as_double(), 5);
  EXPECT_DOUBLE_EQ(all.at("duration_s").at("max").as_double(), 100);
  EXPECT_DOUBLE_EQ(all.at("duration_s").at("avg").as_double(), (550.0 + 250 + 5) / 16);
  EXPECT_NEAR(all.at("duration_s").at("p50").as_double(), 50, 50 * 0.025);
  EXPECT_DOUBLE_EQ(all.at("mem_mb").at("max").as_double(), 100);
  EXPECT_FALSE(v.at("refreshed_at").is_null());
  EXPECT_FALSE(all.as_object().contains("site_id"));
}

TEST_F(StatsApi, GroupByAppAndStatus) {
  json::value v = GetJson("/v1/stats/jobs?group_by=app,status&" + Range(hour_, hour_ + kHour));
  ASSERT_EQ(v.at("count").as_int64(), 4);
  EXPECT_EQ(v.at("group_by"), json::parse(R"(["app","status"])"));
  std::map<std::string, std::int64_t> counts;
  for (const json::value& item : v.at("items").as_array()) {
    counts[std::string(item.at("app_name").as_string()) + "/" +
           std::string(item.at("status").as_string())] = item.at("job_count").as_int64();
  }
  EXPECT_EQ(counts, (std::map<std::string, std::int64_t>{{"app-0/running", 1},
                                                         {"app-0/succeeded", 10},
                                                         {"app-1/canceled", 1},
                                                         {"app-1/failed", 5}}));
}

TEST_F(StatsApi, TimeSeriesPerHourAndPerDay) {
  json::value hourly = GetJson("/v1/stats/jobs?bucket=1h&group_by=status&" +
                               Range(hour_ - kHour, hour_ + 2 * kHour));
  EXPECT_EQ(hourly.at("source").as_string(), "job_hourly_stats");
  ASSERT_EQ(hourly.at("count").as_int64(), 4);  // only the hour with jobs, one item per status
  for (const json::value& item : hourly.at("items").as_array()) {
    EXPECT_EQ(item.at("bucket").as_string(), Rfc(hour_));
  }
  json::value daily = GetJson("/v1/stats/jobs?bucket=1d&" + Range(hour_, hour_ + kHour));
  EXPECT_EQ(daily.at("source").as_string(), "job_daily_stats");
  ASSERT_EQ(daily.at("count").as_int64(), 1);
  EXPECT_EQ(daily.at("items").at(0).at("job_count").as_int64(), 17);
  EXPECT_EQ(daily.at("items").at(0).at("bucket").as_string(), Rfc(hour_ - hour_ % (24 * kHour)));
}

TEST_F(StatsApi, EmptyRangeAndBadParameters) {
  json::value empty = GetJson("/v1/stats/jobs?" + Range(hour_ - 3 * kHour, hour_ - 2 * kHour));
  EXPECT_EQ(empty.at("count").as_int64(), 0);
  EXPECT_TRUE(empty.at("items").as_array().empty());
  json::value bad = GetJson("/v1/stats/jobs?bucket=5m", 422);
  EXPECT_EQ(bad.at("field").as_string(), "bucket");
  json::value huge = GetJson("/v1/stats/jobs?bucket=1h&from=1990-01-01T00:00:00Z", 200);
  EXPECT_EQ(huge.at("source").as_string(), "job_hourly_stats");
}

TEST_F(StatsApi, StatusAndAppNameFilters) {
  auto jobs = [&](const std::string& filter) {
    json::value v = GetJson("/v1/stats/jobs?" + filter + "&" + Range(hour_, hour_ + kHour));
    return v.at("count").as_int64() == 0 ? 0 : v.at("items").at(0).at("job_count").as_int64();
  };
  EXPECT_EQ(jobs("status=succeeded"), 10);
  EXPECT_EQ(jobs("status=failed,canceled"), 6);
  EXPECT_EQ(jobs("status=running,running"), 1);
  EXPECT_EQ(jobs("app_name=APP-1"), 6);  // ignoring case
  EXPECT_EQ(jobs("app_name=pp-"), 17);   // a substring
  EXPECT_EQ(jobs("app_name=app_1"), 0);  // _ and % are no wildcards
  EXPECT_EQ(jobs("app_name=%25"), 0);
  EXPECT_EQ(jobs("app_name=app-0&status=running,failed"), 1);
  json::value by_status = GetJson("/v1/stats/jobs?group_by=status&status=failed,succeeded&" +
                                  Range(hour_, hour_ + kHour));
  ASSERT_EQ(by_status.at("count").as_int64(), 2);
  EXPECT_EQ(by_status.at("items").at(0).at("status").as_string(), "failed");
  EXPECT_EQ(by_status.at("items").at(1).at("status").as_string(), "succeeded");
  EXPECT_EQ(GetJson("/v1/stats/jobs?status=done", 422).at("field").as_string(), "status");
  EXPECT_EQ(GetJson("/v1/stats/jobs?format=csv", 422).at("field").as_string(), "format");
  EXPECT_EQ(GetJson("/v1/stats/jobs?format=", 422).at("field").as_string(), "format");
}

// What an answer covers: all but its items, refreshed_at (the scheduler may refresh between two
// requests) and what format=mergeable adds.
json::object Heading(json::value answer) {
  json::object& o = answer.as_object();
  for (const char* member : {"items", "refreshed_at", "format", "histogram_bins"}) o.erase(member);
  return o;
}

// The item of a plain answer that a mergeable item holds: without count, sum and histogram.
json::value PlainPart(json::value item) {
  for (const char* figures : {"duration_s", "cpu_s", "mem_mb"}) {
    json::object& o = item.at(figures).as_object();
    for (const char* merge_figure : {"count", "sum", "histogram"}) o.erase(merge_figure);
  }
  return item;
}

api::DurationHistogram HistogramOf(const json::value& item) {
  auto h = api::DurationHistogram::FromJson(item.at("duration_s").at("histogram"));
  EXPECT_TRUE(h.ok()) << h.error().message;
  return h.ok() ? *h : api::DurationHistogram();
}

// `h`'s p50 and p95 are the ones of `plain` (an item of a plain answer).
void ExpectPercentilesOf(const api::DurationHistogram& h, const json::value& plain) {
  for (auto [p, name] : {std::pair{0.5, "p50"}, {0.95, "p95"}}) {
    const json::value& expected = plain.at("duration_s").at(name);
    const std::optional<double> actual = h.Percentile(p);
    if (expected.is_null()) {
      EXPECT_EQ(actual, std::nullopt) << name;
      continue;
    }
    ASSERT_TRUE(actual.has_value()) << name;
    EXPECT_NEAR(*actual, expected.as_double(), expected.as_double() * 1e-9) << name;
  }
}

TEST_F(StatsApi, MergeableItemsHoldTheFiguresOfThePlainOnes) {
  for (const std::string shape : {"", "group_by=app,status&", "bucket=1h&group_by=site&"}) {
    const std::string query = "/v1/stats/jobs?" + shape + Range(hour_, hour_ + kHour);
    json::value plain = GetJson(query);
    json::value mergeable = GetJson(query + "&format=mergeable");
    EXPECT_EQ(mergeable.at("format").as_string(), "mergeable");
    EXPECT_EQ(mergeable.at("histogram_bins"),
              json::parse(R"({"bin0_upper_s":0.001,"growth":1.05,"max_bin":1000})"));
    EXPECT_EQ(Heading(mergeable), Heading(plain));
    EXPECT_FALSE(plain.as_object().contains("format"));
    json::value plain_again = GetJson(query + "&format=plain");
    EXPECT_EQ(Heading(plain_again), Heading(plain));
    EXPECT_EQ(plain_again.at("items"), plain.at("items"));
    const json::array& items = mergeable.at("items").as_array();
    ASSERT_EQ(items.size(), plain.at("items").as_array().size()) << shape;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const json::value& item = items[i];
      const json::value& expected = plain.at("items").at(i);
      EXPECT_EQ(PlainPart(item), expected) << shape << i;
      const api::DurationHistogram h = HistogramOf(item);
      ExpectPercentilesOf(h, expected);
      const json::value& d = item.at("duration_s");
      EXPECT_EQ(h.Count(), d.at("count").as_int64());
      if (h.Empty()) {
        EXPECT_TRUE(d.at("histogram").is_null());
        EXPECT_EQ(d.at("sum").as_double(), 0);
      } else {
        EXPECT_DOUBLE_EQ(d.at("sum").as_double() / h.Count(),
                         expected.at("duration_s").at("avg").as_double());
      }
    }
  }
}

TEST_F(StatsApi, MergeableTotalsCountAndSumEveryJob) {
  json::value v = GetJson("/v1/stats/jobs?format=mergeable&" + Range(hour_, hour_ + kHour));
  ASSERT_EQ(v.at("count").as_int64(), 1);
  const json::value& all = v.at("items").at(0);
  EXPECT_EQ(all.at("duration_s").at("count").as_int64(), 16);  // the running job has none
  EXPECT_DOUBLE_EQ(all.at("duration_s").at("sum").as_double(), 550.0 + 250 + 5);
  EXPECT_EQ(all.at("cpu_s").at("count").as_int64(), 16);
  EXPECT_DOUBLE_EQ(all.at("cpu_s").at("sum").as_double(), 16 * 2.5);
  EXPECT_EQ(all.at("mem_mb").at("count").as_int64(), 16);
  EXPECT_DOUBLE_EQ(all.at("mem_mb").at("sum").as_double(), 1600);
  // 5 s, 10 s, …: bins 175 to 236 (see duration_histogram_test.cc).
  const json::value& histogram = all.at("duration_s").at("histogram");
  EXPECT_EQ(histogram.at("first_bin").as_int64(), 175);
  EXPECT_EQ(histogram.at("counts").as_array().size(), 236 - 175 + 1);
}

TEST_F(StatsApi, AnswersOfDisjointFiltersMergeIntoTheUnfilteredOne) {
  const std::string range = Range(hour_, hour_ + kHour);
  const json::value all = GetJson("/v1/stats/jobs?" + range).at("items").at(0);
  api::DurationHistogram merged;
  std::int64_t jobs = 0, durations = 0, cpus = 0;
  double duration_sum = 0, cpu_sum = 0;
  for (const char* statuses : {"succeeded", "failed,canceled,running"}) {
    const json::value part =
        GetJson("/v1/stats/jobs?format=mergeable&status=" + std::string(statuses) + "&" + range)
            .at("items")
            .at(0);
    merged.Merge(HistogramOf(part));
    jobs += part.at("job_count").as_int64();
    durations += part.at("duration_s").at("count").as_int64();
    duration_sum += part.at("duration_s").at("sum").as_double();
    cpus += part.at("cpu_s").at("count").as_int64();
    cpu_sum += part.at("cpu_s").at("sum").as_double();
  }
  ExpectPercentilesOf(merged, all);
  EXPECT_EQ(jobs, all.at("job_count").as_int64());
  EXPECT_EQ(merged.Count(), durations);
  EXPECT_EQ(durations, 16);
  EXPECT_DOUBLE_EQ(duration_sum / durations, all.at("duration_s").at("avg").as_double());
  EXPECT_DOUBLE_EQ(cpu_sum / cpus, all.at("cpu_s").at("avg").as_double());
}

TEST(AlertsApi, RecentAlertsFilteredNewestFirst) {
  const std::string site = "al-" + NewUuid().substr(0, 8);
  auto db = Harness::Get().Db();
  db->Exec(
      "INSERT INTO alert (created_at, kind, severity, site_id, app_name, message, dedup_key) "
      "SELECT now() - make_interval(mins => g), 'failure_rate_high', "
      "(ARRAY['info','warning','critical'])[1 + g % 3], $1, 'litho-' || g, 'alert ' || g, "
      "$1 || g FROM generate_series(1, 9) g",
      {site});
  db->Exec(
      "INSERT INTO alert (created_at, kind, severity, site_id, message, dedup_key) "
      "VALUES (now() - interval '3 days', 'duration_outlier', 'critical', $1, 'old', $1 || 'old')",
      {site});
  json::value all = GetJson("/v1/alerts?site_id=" + site);
  ASSERT_EQ(all.at("count").as_int64(), 9);  // the 3-day-old one is before the default since
  EXPECT_EQ(all.at("items").at(0).at("message").as_string(), "alert 1");
  EXPECT_EQ(all.at("items").at(8).at("message").as_string(), "alert 9");
  json::value critical = GetJson("/v1/alerts?severity=critical&site_id=" + site);
  EXPECT_EQ(critical.at("count").as_int64(), 3);  // g = 2, 5, 8
  json::value limited = GetJson("/v1/alerts?limit=2&app_name=LITHO-&site_id=" + site);
  EXPECT_EQ(limited.at("count").as_int64(), 2);
  json::value older = GetJson("/v1/alerts?since=" + Rfc(HoursAgo(100)) + "&site_id=" + site);
  EXPECT_EQ(older.at("count").as_int64(), 10);
  EXPECT_EQ(GetJson("/v1/alerts?severity=bad", 422).at("field").as_string(), "severity");
}

}  // namespace
}  // namespace dataplane::testing
