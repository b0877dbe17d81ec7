// The Central API over real sites (issue 10): three Local APIs on their own databases with
// different data, and sites that fail in every way a site can — nothing listening, a socket
// that accepts and never answers, garbage, a 500, an answer after 10 s. Real HTTP over loopback.
#include <atomic>
#include <map>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "central_world.h"
#include "harness.h"
#include "http/testing/test_server.h"
#include "metrics/testing/promtool.h"

namespace dataplane::testing {
namespace {
namespace json = boost::json;
using std::chrono::milliseconds;

json::value GetJson(http::HttpClient& client, const std::string& target,
                    int expected_status = 200) {
  auto reply = client.Get(target);
  EXPECT_TRUE(reply.ok()) << target;
  if (!reply.ok()) return nullptr;
  EXPECT_EQ(reply->status, expected_status) << target << " -> " << reply->body;
  return json::parse(reply->body);
}

// Three Local APIs (fab1, fab2, fab3) on databases of their own, each with its own jobs.
class CentralApiTest : public ::testing::Test {
 protected:
  static constexpr int kSites = 3;

  static void SetUpTestSuite() {
    for (int i = 0; i < kSites; ++i) {
      sites_[i] = StartSite("it_central_site" + std::to_string(i + 1), SiteId(i));
      ASSERT_TRUE(sites_[i]);
      jobs_[i] = Fill(i, 15 + 10 * i);
    }
  }
  static void TearDownTestSuite() {
    for (auto& site : sites_) site.reset();
  }

  static std::string SiteId(int i) { return "fab" + std::to_string(i + 1); }
  static int SitePort(int i) { return sites_[i]->port(); }
  //! SITE_URLS naming fab1, leaving fab2 and fab3 to be learned from their health answers.
  static std::string GoodSiteUrls() {
    return "fab1=" + SiteUrl(SitePort(0)) + "," + SiteUrl(SitePort(1)) + "," + SiteUrl(SitePort(2));
  }
  static http::HttpClient SiteClient(int i) { return http::HttpClient("127.0.0.1", SitePort(i)); }

  // Posts `count` jobs to site i (some finished, with distinct times); returns their ids.
  static std::vector<std::string> Fill(int i, int count) {
    std::vector<std::string> ids;
    std::string batch = "[";
    for (int n = 0; n < count; ++n) {
      const std::string id = NewUuid();
      ids.push_back(id);
      const double at = -1000.0 + n * 3 + i;
      if (n > 0) batch += ',';
      batch += MakeEvent({.id = id, .at = AtOffset(at), .site = SiteId(i)});
      if (n % 3 != 0) {
        batch += ',' + MakeEvent({.id = id,
                                  .kind = "finished",
                                  .status = n % 3 == 1 ? "succeeded" : "failed",
                                  .at = AtOffset(at + 1),
                                  .duration_s = 1.0 + n,
                                  .site = SiteId(i)});
      }
    }
    batch += ']';
    auto client = SiteClient(i);
    auto reply = client.Post("/v1/events/batch", batch);
    EXPECT_TRUE(reply.ok());
    EXPECT_EQ(reply->status, 200) << reply->body;
    return ids;
  }

  static std::set<std::string> SiteJobIds(int i, const std::string& query = "") {
    auto client = SiteClient(i);
    json::value page = GetJson(client, "/v1/jobs?limit=10000" + query);
    std::set<std::string> ids;
    for (const json::value& item : page.at("items").as_array()) {
      ids.insert(std::string(item.at("job_id").as_string()));
    }
    return ids;
  }

  static std::unique_ptr<TestApi> sites_[kSites];
  static std::vector<std::string> jobs_[kSites];
};
std::unique_ptr<TestApi> CentralApiTest::sites_[kSites];
std::vector<std::string> CentralApiTest::jobs_[kSites];

const json::object& SiteReport(const json::value& answer, const std::string& site_id) {
  for (const json::value& report : answer.at("sites").as_array()) {
    if (report.at("site_id").as_string() == site_id) return report.as_object();
  }
  ADD_FAILURE() << "no report of " << site_id << " in " << json::serialize(answer);
  static const json::object none;
  return none;
}

TEST_F(CentralApiTest, SitesAreListedWithTheIdsTheyReport) {
  TestCentral central(CentralConfigFor(GoodSiteUrls()));
  ASSERT_TRUE(central.Start().ok());
  http::HttpClient client("127.0.0.1", central.port());
  json::value sites = GetJson(client, "/v1/sites");
  ASSERT_EQ(sites.at("count"), kSites);
  const json::array& list = sites.at("sites").as_array();
  EXPECT_EQ(list[0].at("site_id"), "fab1");
  EXPECT_EQ(list[0].at("id_source"), "configured");
  EXPECT_EQ(list[1].at("site_id"), "fab2");
  EXPECT_EQ(list[1].at("id_source"), "health");
  EXPECT_EQ(list[2].at("site_id"), "fab3");
  EXPECT_EQ(list[2].at("url").as_string(), SiteUrl(SitePort(2)));

  json::value health = GetJson(client, "/v1/sites/health");
  EXPECT_EQ(health.at("ok"), kSites);
  for (const json::value& site : health.at("sites").as_array()) {
    EXPECT_EQ(site.at("status"), "ok") << json::serialize(site);
    EXPECT_EQ(site.at("database").at("reachable"), true);
    EXPECT_FALSE(site.at("version").as_string().empty());
    EXPECT_TRUE(site.at("last_ok_at").is_string());
    EXPECT_EQ(site.at("consecutive_failures"), 0);
    EXPECT_EQ(site.at("circuit").at("state"), "closed");
  }
  json::value healthz = GetJson(client, "/v1/healthz");
  EXPECT_EQ(healthz.at("status"), "ok");
  EXPECT_EQ(healthz.at("sites").at("reachable"), kSites);
}

TEST_F(CentralApiTest, CrossSiteJobsAreEverySitesJobsTaggedWithTheirSite) {
  TestCentral central(CentralConfigFor(GoodSiteUrls()));
  ASSERT_TRUE(central.Start().ok());
  http::HttpClient client("127.0.0.1", central.port());
  for (const std::string query : {"", "&status=failed", "&status=running,succeeded"}) {
    std::map<std::string, std::string> expected;  // job id -> site id
    for (int i = 0; i < kSites; ++i) {
      for (const std::string& id : SiteJobIds(i, query)) expected[id] = SiteId(i);
    }
    json::value answer = GetJson(client, "/v1/jobs?limit=10000" + query);
    EXPECT_EQ(answer.at("partial"), false);
    EXPECT_TRUE(answer.at("next_cursor").is_null());
    std::map<std::string, std::string> got;
    for (const json::value& item : answer.at("items").as_array()) {
      got[std::string(item.at("job_id").as_string())] = item.at("site_id").as_string();
    }
    EXPECT_EQ(got, expected) << query;
    EXPECT_EQ(answer.at("count"), expected.size());
    for (int i = 0; i < kSites; ++i) {
      EXPECT_EQ(SiteReport(answer, SiteId(i)).at("status"), "ok");
    }
  }
  json::value only = GetJson(client, "/v1/jobs?limit=10000&sites=fab2");
  EXPECT_EQ(only.at("count"), SiteJobIds(1).size());
  EXPECT_EQ(only.at("sites").as_array().size(), 1u);
  json::value unknown = GetJson(client, "/v1/jobs?sites=fab9", 422);
  EXPECT_EQ(unknown.at("field"), "sites");
  json::value bad = GetJson(client, "/v1/jobs?status=lost", 422);
  EXPECT_EQ(bad.at("field"), "status");
}

TEST_F(CentralApiTest, PagingQuietSitesVisitsEveryJobOnceInOrder) {
  TestCentral central(CentralConfigFor(GoodSiteUrls()));
  ASSERT_TRUE(central.Start().ok());
  http::HttpClient client("127.0.0.1", central.port());
  std::set<std::string> expected;
  for (int i = 0; i < kSites; ++i) {
    for (const std::string& id : SiteJobIds(i)) expected.insert(id);
  }
  std::multiset<std::string> seen;
  std::string previous_at = "9999";
  std::string cursor;
  for (int page = 0; page < 100; ++page) {
    json::value answer =
        GetJson(client, "/v1/jobs?limit=7" + (cursor.empty() ? "" : "&cursor=" + cursor));
    for (const json::value& item : answer.at("items").as_array()) {
      seen.insert(std::string(item.at("job_id").as_string()));
      const std::string at(item.at("last_event_at").as_string());
      EXPECT_LE(at, previous_at);
      previous_at = at;
    }
    if (answer.at("next_cursor").is_null()) break;
    cursor = std::string(answer.at("next_cursor").as_string());
  }
  EXPECT_EQ(seen.size(), expected.size());
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), expected);
}

TEST_F(CentralApiTest, PagingIngestingSitesMissesAndRepeatsNoUnchangedJob) {
  TestCentral central(CentralConfigFor(GoodSiteUrls()));
  ASSERT_TRUE(central.Start().ok());
  std::set<std::string> before;
  for (int i = 0; i < kSites; ++i) {
    for (const std::string& id : SiteJobIds(i)) before.insert(id);
  }
  // While the pages are read, every site gets new jobs and updates of some existing ones.
  std::atomic<bool> paging{true};
  std::mutex updated_mutex;
  std::set<std::string> updated;
  std::thread writer([&] {
    for (int round = 0; paging; ++round) {
      for (int i = 0; i < kSites; ++i) {
        auto site = SiteClient(i);
        const std::string& old = jobs_[i][(round * 7) % jobs_[i].size()];
        {
          std::lock_guard lock(updated_mutex);
          updated.insert(old);
        }
        std::string batch = "[" + MakeEvent({.id = NewUuid(), .site = SiteId(i)}) + "," +
                            MakeEvent({.id = old, .kind = "progress", .site = SiteId(i)}) + "]";
        auto reply = site.Post("/v1/events/batch", batch);
        EXPECT_TRUE(reply.ok() && reply->status == 200);
      }
      std::this_thread::sleep_for(milliseconds(20));
    }
  });
  http::HttpClient client("127.0.0.1", central.port());
  std::multiset<std::string> seen;
  std::string cursor;
  for (int page = 0; page < 200; ++page) {
    json::value answer =
        GetJson(client, "/v1/jobs?limit=5" + (cursor.empty() ? "" : "&cursor=" + cursor));
    for (const json::value& item : answer.at("items").as_array()) {
      seen.insert(std::string(item.at("job_id").as_string()));
    }
    if (answer.at("next_cursor").is_null()) break;
    cursor = std::string(answer.at("next_cursor").as_string());
    std::this_thread::sleep_for(milliseconds(10));
  }
  paging = false;
  writer.join();
  for (const std::string& id : seen) EXPECT_EQ(seen.count(id), 1u) << id << " repeated";
  std::lock_guard lock(updated_mutex);
  for (const std::string& id : before) {
    if (!updated.count(id)) {
      EXPECT_EQ(seen.count(id), 1u) << id << " unchanged and missed";
    }
  }
  EXPECT_FALSE(updated.empty());
}

TEST_F(CentralApiTest, AJobIsFoundOnWhicheverSiteHasIt) {
  TestCentral central(CentralConfigFor(GoodSiteUrls()));
  ASSERT_TRUE(central.Start().ok());
  http::HttpClient client("127.0.0.1", central.port());
  const std::string& job = jobs_[2][4];
  json::value answer = GetJson(client, "/v1/jobs/" + job);
  EXPECT_EQ(answer.at("site_id"), "fab3");
  EXPECT_EQ(answer.at("job_id").as_string(), job);
  EXPECT_EQ(answer.at("partial"), false);
  json::value missing = GetJson(client, "/v1/jobs/" + NewUuid(), 404);
  EXPECT_EQ(missing.at("code"), "job_not_found");
  GetJson(client, "/v1/jobs/not-a-uuid", 422);
  GetJson(client, "/v1/jobs/" + job + "?sites=fab1", 404);
  GetJson(client, "/v1/jobs/" + job + "?limit=1", 422);
}

TEST_F(CentralApiTest, FailingSitesGiveAPartialAnswerWithinTheTimeout) {
  SilentSocket silent;
  http::testing::TestServer garbage, failing, slow({.response_delay = std::chrono::seconds(10)});
  garbage.SetHandler([](const http::HttpRequest& r) {
    return JsonReply(r, http::status::ok, "<html>not json</html>");
  });
  failing.SetHandler([](const http::HttpRequest& r) {
    return JsonReply(r, http::status::internal_server_error, R"({"error":"boom"})");
  });
  const std::string urls = GoodSiteUrls() + ",dead=" + SiteUrl(DeadPort()) +
                           ",silent=" + SiteUrl(silent.port()) + ",garbage=" + garbage.url() +
                           ",failing=" + failing.url() + ",slow=" + slow.url();
  const milliseconds timeout(1000);
  TestCentral central(CentralConfigFor(urls, timeout));
  ASSERT_TRUE(central.Start().ok());
  http::HttpClient client("127.0.0.1", central.port());
  for (const std::string target : {"/v1/jobs?limit=10000", "/v1/subjobs?limit=10"}) {
    const auto started = std::chrono::steady_clock::now();
    auto reply = client.Get(target);
    const auto took = std::chrono::steady_clock::now() - started;
    ASSERT_TRUE(reply.ok());
    ASSERT_EQ(reply->status, 200) << reply->body;
    EXPECT_LT(took, timeout * 12 / 10) << target;
    EXPECT_EQ(reply->Header("cache-control"), "no-store");
    json::value answer = json::parse(reply->body);
    EXPECT_EQ(answer.at("partial"), true);
    for (int i = 0; i < kSites; ++i) EXPECT_EQ(SiteReport(answer, SiteId(i)).at("status"), "ok");
    EXPECT_EQ(SiteReport(answer, "dead").at("status"), "unreachable");
    EXPECT_EQ(SiteReport(answer, "silent").at("status"), "timeout");
    EXPECT_EQ(SiteReport(answer, "garbage").at("status"), "bad_answer");
    EXPECT_EQ(SiteReport(answer, "failing").at("status"), "error");
    EXPECT_EQ(SiteReport(answer, "failing").at("http_status"), 500);
    EXPECT_NE(SiteReport(answer, "failing").at("message").as_string().find("boom"),
              std::string::npos);
    EXPECT_EQ(SiteReport(answer, "slow").at("status"), "timeout");
    EXPECT_TRUE(SiteReport(answer, "slow").at("as_of").is_null());
    EXPECT_TRUE(SiteReport(answer, "fab1").at("as_of").is_string());
  }
  json::value all = GetJson(client, "/v1/jobs?limit=10000");
  std::size_t expected = 0;
  for (int i = 0; i < kSites; ++i) expected += SiteJobIds(i).size();
  EXPECT_EQ(all.at("count"), expected);

  json::value refused = GetJson(client, "/v1/jobs?partial_response=false", 502);
  EXPECT_EQ(refused.at("code"), "partial_answer");
  EXPECT_EQ(SiteReport(refused, "silent").at("status"), "timeout");
  GetJson(client, "/v1/jobs?partial_response=false&sites=fab1,fab2");  // whole: 200
  // A job lookup that misses on the sites that answered cannot say 404.
  json::value lookup = GetJson(client, "/v1/jobs/" + NewUuid(), 503);
  EXPECT_NE(lookup.at("error").as_string().find("silent (timeout)"), std::string::npos);
  GetJson(client, "/v1/jobs/" + jobs_[0][0]);  // found: no matter who did not answer

  auto scrape = client.Get("/metrics");
  ASSERT_TRUE(scrape.ok());
  for (
      const char* sample :
      {R"(dataplane_site_requests_total{service="central_api",site="silent",outcome="timeout"})",
       R"(dataplane_site_requests_total{service="central_api",site="fab2",outcome="ok"})",
       R"(dataplane_partial_answers_total{service="central_api",route="/v1/jobs"})",
       R"(dataplane_site_up{service="central_api",site="garbage"} 0)",
       R"(dataplane_site_up{service="central_api",site="fab3"} 1)",
       R"(dataplane_http_requests_total{service="central_api",route="/v1/jobs",method="GET",status="502"} 1)"}) {
    EXPECT_NE(scrape->body.find(sample), std::string::npos) << sample;
  }
  EXPECT_TRUE(metrics::testing::PromtoolAccepts(scrape->body));
}

TEST_F(CentralApiTest, HealthFollowsASiteStoppedAndStartedAgain) {
  central_api::CentralApiConfig config = CentralConfigFor(GoodSiteUrls(), milliseconds(500));
  config.poll_interval = milliseconds(100);
  TestCentral central(config);
  ASSERT_TRUE(central.Start().ok());
  http::HttpClient client("127.0.0.1", central.port());
  const auto status_of_fab2 = [&] {
    json::value health = GetJson(client, "/v1/sites/health");
    return std::string(health.at("sites").at(1).at("status").as_string());
  };
  const auto wait_for = [&](const std::string& status) {
    for (int i = 0; i < 100 && status_of_fab2() != status; ++i) {
      std::this_thread::sleep_for(milliseconds(50));
    }
    return status_of_fab2();
  };
  EXPECT_EQ(wait_for("ok"), "ok");
  local_api::LocalApiConfig site_config = Harness::Get().ApiConfig();
  site_config.database_url = Harness::Get().UrlOf("it_central_site2");
  site_config.site_id = "fab2";
  site_config.port = SitePort(1);
  sites_[1]->Stop();
  EXPECT_EQ(wait_for("unreachable"), "unreachable");
  json::value down = GetJson(client, "/v1/sites/health");
  EXPECT_GT(down.at("sites").at(1).at("consecutive_failures").as_int64(), 0);
  EXPECT_TRUE(down.at("sites").at(1).at("last_ok_at").is_string());
  EXPECT_EQ(GetJson(client, "/v1/healthz").at("sites").at("reachable"), kSites - 1);

  sites_[1] = std::make_unique<TestApi>(site_config);
  ASSERT_TRUE(sites_[1]->Start().ok());
  EXPECT_EQ(wait_for("ok"), "ok");
  EXPECT_EQ(GetJson(client, "/v1/sites/health").at("sites").at(1).at("consecutive_failures"), 0);
}

}  // namespace
}  // namespace dataplane::testing
