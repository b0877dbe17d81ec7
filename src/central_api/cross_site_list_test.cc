#include "central_api/cross_site_list.h"

#include <algorithm>
#include <map>
#include <set>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/time.h"

namespace dataplane::central_api {
namespace {
namespace json = boost::json;

// An in-memory site: its jobs (time, id), answered as the Local API answers a page.
struct FakeSite {
  std::string id;
  std::vector<std::pair<core::Micros, std::string>> jobs;  // any order

  std::string Answer(const std::string& target) const {
    auto filter = api::ParseListFilter(target, api::ListKind::kJobs);
    EXPECT_TRUE(filter.ok()) << target;
    auto sorted = jobs;
    std::sort(sorted.begin(), sorted.end(), std::greater<>());
    json::array items;
    std::optional<api::Cursor> last;
    bool more = false;
    for (const auto& [t, job] : sorted) {
      if (filter->cursor &&
          std::pair(t, job) >= std::pair(filter->cursor->last_event_at, filter->cursor->id)) {
        continue;
      }
      if (static_cast<int>(items.size()) == filter->limit) {
        more = true;
        break;
      }
      items.push_back({{"job_id", job},
                       {"last_event_at", core::FormatRfc3339(t)},
                       {"site_id", "from-the-event"}});
      last = api::Cursor{t, job};
    }
    json::object body{{"count", items.size()}};
    body["items"] = std::move(items);
    body["next_cursor"] = more ? json::value(api::EncodeCursor(*last)) : json::value(nullptr);
    return json::serialize(body);
  }
};

SiteCall Ok(const std::string& site_id, const std::string& body) {
  SiteCall call;
  call.site_id = site_id;
  call.status = SiteCallStatus::kOk;
  call.http_status = 200;
  call.text = body;
  return call;
}

SiteCall Failed(const std::string& site_id) {
  SiteCall call;
  call.site_id = site_id;
  call.status = SiteCallStatus::kTimeout;
  call.message = "timeout";
  return call;
}

std::string Uuid(int n) {
  char text[37];
  std::snprintf(text, sizeof text, "00000000-0000-4000-8000-%012d", n);
  return text;
}

// The merged page, parsed: it must be JSON.
json::object Merged(const CrossSiteListRequest& request, std::vector<SiteCall>& calls) {
  const std::string text = "{" + MergeSitePages(request, calls) + "}";
  boost::system::error_code ec;
  json::value page = json::parse(text, ec);
  EXPECT_FALSE(ec) << text;
  return ec ? json::object() : std::move(page.as_object());
}

// One page over `sites`; failing sites are those in `down`.
json::object Page(const std::vector<FakeSite>& sites, const CrossSiteListRequest& request,
                  const std::set<std::string>& down = {}) {
  std::vector<SiteCall> calls;
  for (const FakeSite& site : sites) {
    if (!SiteHasMore(request, site.id)) continue;
    calls.push_back(down.count(site.id)
                        ? Failed(site.id)
                        : Ok(site.id, site.Answer(SitePageTarget(request, site.id))));
  }
  return Merged(request, calls);
}

CrossSiteListRequest Request(const std::string& query) {
  auto request = ParseCrossSiteList("/v1/jobs?" + query, api::ListKind::kJobs);
  EXPECT_TRUE(request.ok()) << query << ": " << request.error().message;
  return *request;
}

TEST(CrossSiteList, ParsesItsOwnParametersAndForwardsTheFilters) {
  auto request = ParseCrossSiteList(
      "/v1/"
      "jobs?status=failed,running&sites=fab1,fab2&partial_response=false&limit=7&app_name=a%20b",
      api::ListKind::kJobs);
  ASSERT_TRUE(request.ok()) << request.error().message;
  EXPECT_EQ(request->forwarded_query, "status=failed,running&app_name=a%20b");
  EXPECT_EQ(request->sites, "fab1,fab2");
  EXPECT_FALSE(request->partial_allowed);
  EXPECT_EQ(request->limit, 7);
  EXPECT_EQ(SitePageTarget(*request, "fab1"),
            "/v1/jobs?status=failed,running&app_name=a%20b&limit=7");
}

TEST(CrossSiteList, RefusesWhatASiteWouldRefuseAndItsOwnBadParameters) {
  for (const auto& [query, field] : std::vector<std::pair<std::string, std::string>>{
           {"status=lost", "status"},
           {"bogus=1", "bogus"},
           {"limit=0", "limit"},
           {"partial_response=maybe", "partial_response"},
           {"cursor=abc", "cursor"},
           {"job_id=x", "job_id"}}) {
    auto request = ParseCrossSiteList("/v1/jobs?" + query, api::ListKind::kJobs);
    ASSERT_FALSE(request.ok()) << query;
    EXPECT_EQ(request.error().field, field) << query;
    EXPECT_EQ(request.error().kind, core::ErrorKind::kInvalidInput) << query;
  }
  EXPECT_TRUE(ParseCrossSiteList("/v1/subjobs?job_id=6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b",
                                 api::ListKind::kSubjobs)
                  .ok());
}

TEST(CrossSiteList, MergesInTheLocalApisOrderAndTagsTheSite) {
  const std::vector<FakeSite> sites{
      {"a", {{30, Uuid(1)}, {10, Uuid(2)}}}, {"b", {{20, Uuid(3)}, {30, Uuid(4)}}}, {"c", {}}};
  json::object page = Page(sites, Request("limit=3"));
  const json::array& items = page["items"].as_array();
  ASSERT_EQ(items.size(), 3u);
  // t=30 twice: the greater id first; then t=20.
  EXPECT_EQ(items[0].at("job_id").as_string(), Uuid(4));
  EXPECT_EQ(items[0].at("site_id"), "b");
  EXPECT_EQ(items[1].at("job_id").as_string(), Uuid(1));
  EXPECT_EQ(items[1].at("site_id"), "a");
  EXPECT_EQ(items[2].at("job_id").as_string(), Uuid(3));
  EXPECT_EQ(page["count"], 3);
  ASSERT_TRUE(page["next_cursor"].is_string());
  auto cursor = api::DecodeSiteCursor(page["next_cursor"].as_string());
  ASSERT_TRUE(cursor.ok());
  EXPECT_EQ(cursor->sites.at("a"), api::SitePosition(api::Cursor{30, Uuid(1)}));
  EXPECT_EQ(cursor->sites.at("b"), api::SitePosition(api::SiteDone{}));
  EXPECT_EQ(cursor->sites.at("c"), api::SitePosition(api::SiteDone{}));

  json::object last =
      Page(sites, Request("limit=3&cursor=" + std::string(page["next_cursor"].as_string())));
  ASSERT_EQ(last["items"].as_array().size(), 1u);
  EXPECT_EQ(last["items"].as_array()[0].at("job_id").as_string(), Uuid(2));
  EXPECT_TRUE(last["next_cursor"].is_null());
}

TEST(CrossSiteList, PagingVisitsEveryItemOnceWhateverTheLimit) {
  std::vector<FakeSite> sites{{"a", {}}, {"b", {}}, {"c", {}}};
  int n = 0;
  for (int i = 0; i < 60; ++i) {
    // Some times repeat within and across sites.
    sites[i % 3].jobs.emplace_back(1000 + (i * 7) % 23, Uuid(++n));
  }
  for (int limit : {1, 4, 7, 100}) {
    std::multiset<std::string> seen;
    std::string cursor;
    std::pair<core::Micros, std::string> previous{std::numeric_limits<core::Micros>::max(), ""};
    for (int pages = 0; pages < 100; ++pages) {
      json::object page = Page(sites, Request("limit=" + std::to_string(limit) +
                                              (cursor.empty() ? "" : "&cursor=" + cursor)));
      for (const json::value& item : page["items"].as_array()) {
        seen.insert(std::string(item.at("job_id").as_string()));
        const auto t = *core::ParseRfc3339(item.at("last_event_at").as_string());
        const std::pair<core::Micros, std::string> key{t,
                                                       std::string(item.at("job_id").as_string())};
        EXPECT_LT(key, previous) << "out of order at limit " << limit;
        previous = key;
      }
      if (page["next_cursor"].is_null()) break;
      cursor = std::string(page["next_cursor"].as_string());
    }
    EXPECT_EQ(seen.size(), 60u) << "limit " << limit;
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 60u) << "limit " << limit;
  }
}

TEST(CrossSiteList, ASiteThatDidNotAnswerKeepsItsPlace) {
  const std::vector<FakeSite> sites{{"a", {{30, Uuid(1)}, {10, Uuid(2)}}}, {"b", {{20, Uuid(3)}}}};
  json::object first = Page(sites, Request("limit=1"), {"b"});
  ASSERT_EQ(first["items"].as_array().size(), 1u);
  EXPECT_EQ(first["items"].as_array()[0].at("job_id").as_string(), Uuid(1));
  auto cursor = api::DecodeSiteCursor(first["next_cursor"].as_string());
  ASSERT_TRUE(cursor.ok());
  EXPECT_EQ(cursor->sites.count("b"), 0u);  // b is asked from its start next time
  json::object second =
      Page(sites, Request("limit=5&cursor=" + std::string(first["next_cursor"].as_string())));
  ASSERT_EQ(second["items"].as_array().size(), 2u);
  EXPECT_EQ(second["items"].as_array()[0].at("job_id").as_string(), Uuid(3));
  EXPECT_EQ(second["items"].as_array()[1].at("job_id").as_string(), Uuid(2));
  EXPECT_TRUE(second["next_cursor"].is_null());
}

TEST(CrossSiteList, AnAnswerThatIsNoListIsABadAnswer) {
  CrossSiteListRequest request = Request("limit=5");
  std::vector<SiteCall> calls{
      Ok("a",
         R"({"items":[{"job_id":"x","last_event_at":"2026-12-01T00:00:00Z"}],"next_cursor":null})"),
      Ok("b", R"({"items":[{"job_id":"y"}],"next_cursor":null})"),
      Ok("c", R"({"items":{},"next_cursor":null})"), Ok("d", R"({"items":[]})")};
  json::object page = Merged(request, calls);
  EXPECT_EQ(page["items"].as_array().size(), 1u);
  EXPECT_EQ(calls[0].status, SiteCallStatus::kOk);
  for (std::size_t i = 1; i < calls.size(); ++i) {
    EXPECT_EQ(calls[i].status, SiteCallStatus::kBadAnswer) << i;
    EXPECT_FALSE(calls[i].message.empty());
  }
}

}  // namespace
}  // namespace dataplane::central_api
