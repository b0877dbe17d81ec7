// Events posted over HTTP are committed and come back from the query endpoints.
#include <regex>
#include <set>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include "harness.h"

namespace dataplane::testing {
namespace {
namespace json = boost::json;

json::value GetJson(http::HttpClient& client, const std::string& target,
                    int expected_status = 200) {
  auto reply = client.Get(target);
  EXPECT_TRUE(reply.ok()) << target;
  EXPECT_EQ(reply->status, expected_status) << target << " -> " << reply->body;
  return json::parse(reply->body);
}

void Post(http::HttpClient& client, const std::string& body,
          const std::string& status = "inserted") {
  auto reply = client.Post("/v1/event", body);
  ASSERT_TRUE(reply.ok());
  ASSERT_EQ(reply->status, 200) << reply->body;
  EXPECT_EQ(json::parse(reply->body).at("status").as_string(), status);
}

TEST(IngestAndQuery, JobLifecycleIsQueryableWithSubjobsAndTimeline) {
  auto client = Harness::Get().Client();
  const std::string job = NewUuid(), sub = NewUuid(), lot = "lot-" + NewUuid();
  Post(client, MakeEvent({.id = job, .kind = "started", .at = AtOffset(-30), .business_key = lot}));
  Post(client, MakeEvent({.type = "subjob",
                          .id = sub,
                          .parent = job,
                          .kind = "started",
                          .at = AtOffset(-20),
                          .business_key = lot}));
  Post(client, MakeEvent({.type = "subjob",
                          .id = sub,
                          .parent = job,
                          .kind = "finished",
                          .status = "succeeded",
                          .at = AtOffset(-10),
                          .duration_s = 10,
                          .business_key = lot}));
  Post(client, MakeEvent({.id = job,
                          .kind = "finished",
                          .status = "succeeded",
                          .at = AtOffset(-5),
                          .duration_s = 25,
                          .business_key = lot}));

  json::value list = GetJson(client, "/v1/jobs?job_key=" + lot);
  ASSERT_EQ(list.at("count").as_int64(), 1);
  const json::object& item = list.at("items").at(0).as_object();
  EXPECT_EQ(item.at("job_id").as_string(), job);
  EXPECT_EQ(item.at("status").as_string(), "succeeded");
  EXPECT_EQ(item.at("app_name").as_string(), "litho-scan");
  EXPECT_EQ(item.at("app_version").as_string(), "1.4.2");
  EXPECT_EQ(item.at("duration_s").as_double(), 25);
  EXPECT_EQ(item.at("event_count").as_int64(), 2);
  const std::regex rfc3339(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)");
  EXPECT_TRUE(std::regex_match(std::string(item.at("last_event_at").as_string()), rfc3339));
  EXPECT_TRUE(std::regex_match(std::string(item.at("started_at").as_string()), rfc3339));
  EXPECT_TRUE(std::regex_match(std::string(item.at("finished_at").as_string()), rfc3339));

  json::value detail = GetJson(client, "/v1/jobs/" + job);
  EXPECT_EQ(detail.at("status").as_string(), "succeeded");
  ASSERT_EQ(detail.at("subjobs").as_array().size(), 1u);
  EXPECT_EQ(detail.at("subjobs").at(0).at("subjob_id").as_string(), sub);
  EXPECT_EQ(detail.at("subjobs").at(0).at("status").as_string(), "succeeded");
  const json::array& timeline = detail.at("timeline").as_array();
  ASSERT_EQ(timeline.size(), 4u);
  EXPECT_EQ(timeline.at(0).at("kind").as_string(), "started");
  EXPECT_EQ(timeline.at(3).at("kind").as_string(), "finished");

  json::value subjobs = GetJson(client, "/v1/subjobs?job_id=" + job);
  ASSERT_EQ(subjobs.at("count").as_int64(), 1);
  EXPECT_EQ(subjobs.at("items").at(0).at("duration_s").as_double(), 10);
}

TEST(IngestAndQuery, FiltersSelectExactlyTheMatchingJobs) {
  auto client = Harness::Get().Client();
  const std::string lot = "lot-" + NewUuid();
  const std::string app = "Etch-" + NewUuid().substr(0, 8);
  const std::string failed = NewUuid(), running = NewUuid(), other_site = NewUuid();
  Post(client, MakeEvent({.id = failed,
                          .kind = "error",
                          .at = AtOffset(-100),
                          .app_name = app,
                          .business_key = lot}));
  Post(client, MakeEvent({.id = running,
                          .kind = "started",
                          .at = AtOffset(-50),
                          .app_name = app,
                          .business_key = lot}));
  Post(client, MakeEvent({.id = other_site,
                          .kind = "started",
                          .at = AtOffset(-40),
                          .site = "fab2",
                          .app_name = app,
                          .business_key = lot}));

  auto ids = [&](const std::string& query) {
    std::set<std::string> out;
    json::value v = GetJson(client, "/v1/jobs?job_key=" + lot + query);
    for (const auto& item : v.at("items").as_array())
      out.insert(std::string(item.at("job_id").as_string()));
    return out;
  };
  EXPECT_EQ(ids(""), (std::set<std::string>{failed, running, other_site}));
  EXPECT_EQ(ids("&status=failed"), (std::set<std::string>{failed}));
  // A repeated status adds nothing (the items are counted, not collected into a set).
  EXPECT_EQ(
      GetJson(client, "/v1/jobs?job_key=" + lot + "&status=failed,failed").at("count").as_int64(),
      1);
  EXPECT_EQ(ids("&status=failed,running"), (std::set<std::string>{failed, running, other_site}));
  EXPECT_EQ(ids("&site_id=fab2"), (std::set<std::string>{other_site}));
  // app_name is a case-insensitive substring.
  std::string lower = app.substr(1, 6);
  for (auto& c : lower) c = static_cast<char>(std::tolower(c));
  EXPECT_EQ(ids("&app_name=" + lower).size(), 3u);
  EXPECT_EQ(ids("&app_name=no-such-app").size(), 0u);
  // from inclusive, to exclusive, on the time of the latest event.
  EXPECT_EQ(ids("&from=" + AtOffset(-60)), (std::set<std::string>{running, other_site}));
  EXPECT_EQ(ids("&to=" + AtOffset(-60)), (std::set<std::string>{failed}));
}

TEST(IngestAndQuery, KeysetPaginationVisitsEveryJobOnce) {
  auto client = Harness::Get().Client();
  const std::string lot = "lot-" + NewUuid();
  std::set<std::string> posted;
  std::string batch = "[";
  for (int i = 0; i < 25; ++i) {
    const std::string id = NewUuid();
    posted.insert(id);
    // Pairs of equal times exercise the id tie-break of the keyset.
    batch +=
        (i ? "," : "") + MakeEvent({.id = id, .at = AtOffset(-200 + i / 2), .business_key = lot});
  }
  auto reply = client.Post("/v1/events/batch", batch + "]");
  ASSERT_TRUE(reply.ok());
  ASSERT_EQ(reply->status, 200) << reply->body;

  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    json::value page = GetJson(
        client, "/v1/jobs?limit=7&job_key=" + lot + (cursor.empty() ? "" : "&cursor=" + cursor));
    for (const auto& item : page.at("items").as_array()) {
      EXPECT_TRUE(seen.insert(std::string(item.at("job_id").as_string())).second);
    }
    cursor =
        page.at("next_cursor").is_null() ? "" : std::string(page.at("next_cursor").as_string());
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(seen, posted);
  EXPECT_EQ(pages, 4);
}

TEST(IngestAndQuery, SubjobBeforeItsJobIsAccepted) {
  auto client = Harness::Get().Client();
  const std::string job = NewUuid(), sub = NewUuid();
  Post(client, MakeEvent({.type = "subjob", .id = sub, .parent = job, .at = AtOffset(-5)}));
  json::value subjobs = GetJson(client, "/v1/subjobs?job_id=" + job);
  ASSERT_EQ(subjobs.at("count").as_int64(), 1);
  GetJson(client, "/v1/jobs/" + job, 404);
  Post(client, MakeEvent({.id = job, .at = AtOffset(-10)}));
  json::value detail = GetJson(client, "/v1/jobs/" + job);
  EXPECT_EQ(detail.at("subjobs").as_array().size(), 1u);
}

TEST(IngestAndQuery, BadQueryParametersAreRefusedByName) {
  auto client = Harness::Get().Client();
  json::value bad = GetJson(client, "/v1/jobs?limit=0", 422);
  EXPECT_EQ(bad.at("field").as_string(), "limit");
  bad = GetJson(client, "/v1/jobs?stauts=failed", 422);
  EXPECT_EQ(bad.at("field").as_string(), "stauts");
  bad = GetJson(client, "/v1/jobs?cursor=garbage", 422);
  EXPECT_EQ(bad.at("code").as_string(), "invalid_cursor");
  bad = GetJson(client, "/v1/jobs/not-a-uuid", 422);
  EXPECT_EQ(bad.at("code").as_string(), "invalid_uuid");
  GetJson(client, "/v1/nope", 404);
}

}  // namespace
}  // namespace dataplane::testing
