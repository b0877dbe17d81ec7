// Tests of request routing: literal segments over placeholders, parameter extraction, and the
// "path known, method not" case that becomes a 405 with Allow.
#include "http/router.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace dataplane::http {
namespace {

// The routes of a small Local API; handlers are never called, so they stay empty.
Router MakeRouter() {
  Router router;
  router.Add(http::verb::get, "/v1/jobs", {});
  router.Add(http::verb::get, "/v1/jobs/{job_id}", {});
  router.Add(http::verb::get, "/v1/jobs/stats", {});
  router.Add(http::verb::get, "/v1/sites/{site}/jobs/{job_id}", {});
  router.Add(http::verb::post, "/v1/event", {});
  router.Add(http::verb::get, "/", {});
  return router;
}

std::string PatternOf(const Router::Match& match) {
  return match.route == nullptr ? "<none>" : match.route->pattern;
}

TEST(RouterTest, LiteralRouteMatchesWithoutParams) {
  const Router router = MakeRouter();
  const Router::Match match = router.Find(http::verb::get, "/v1/jobs");
  EXPECT_EQ(PatternOf(match), "/v1/jobs");
  EXPECT_EQ(match.route->method, http::verb::get);
  EXPECT_TRUE(match.params.empty());
}

TEST(RouterTest, PlaceholderExtractsTheSegment) {
  const Router router = MakeRouter();
  const Router::Match match =
      router.Find(http::verb::get, "/v1/jobs/1b4e28ba-2fa1-11d2-883f-0016d3cca427");
  EXPECT_EQ(PatternOf(match), "/v1/jobs/{job_id}");
  EXPECT_EQ(match.params, PathParams{"1b4e28ba-2fa1-11d2-883f-0016d3cca427"});
}

TEST(RouterTest, SeveralPlaceholdersInPatternOrder) {
  const Router router = MakeRouter();
  const Router::Match match = router.Find(http::verb::get, "/v1/sites/fab1/jobs/42");
  EXPECT_EQ(PatternOf(match), "/v1/sites/{site}/jobs/{job_id}");
  EXPECT_EQ(match.params, (PathParams{"fab1", "42"}));
}

TEST(RouterTest, LiteralBeatsPlaceholderWhateverTheOrderOfAdding) {
  const Router router = MakeRouter();  // the placeholder route was added first
  const Router::Match match = router.Find(http::verb::get, "/v1/jobs/stats");
  EXPECT_EQ(PatternOf(match), "/v1/jobs/stats");
  EXPECT_TRUE(match.params.empty());

  Router reversed;
  reversed.Add(http::verb::get, "/v1/jobs/stats", {});
  reversed.Add(http::verb::get, "/v1/jobs/{job_id}", {});
  EXPECT_EQ(PatternOf(reversed.Find(http::verb::get, "/v1/jobs/stats")), "/v1/jobs/stats");
  EXPECT_EQ(PatternOf(reversed.Find(http::verb::get, "/v1/jobs/other")), "/v1/jobs/{job_id}");
}

TEST(RouterTest, OtherMethodOnAKnownPathNamesTheAllowedMethods) {
  const Router router = MakeRouter();
  const Router::Match post_jobs = router.Find(http::verb::post, "/v1/jobs");
  EXPECT_EQ(post_jobs.route, nullptr);
  EXPECT_EQ(post_jobs.allowed, "GET");

  const Router::Match get_event = router.Find(http::verb::get, "/v1/event");
  EXPECT_EQ(get_event.route, nullptr);
  EXPECT_EQ(get_event.allowed, "POST");

  const Router::Match delete_job = router.Find(http::verb::delete_, "/v1/jobs/abc");
  EXPECT_EQ(delete_job.route, nullptr);
  EXPECT_EQ(delete_job.allowed, "GET");
}

TEST(RouterTest, SamePathWithTwoMethodsRoutesEach) {
  Router router;
  router.Add(http::verb::get, "/v1/things", {});
  router.Add(http::verb::post, "/v1/things", {});
  const Router::Match get = router.Find(http::verb::get, "/v1/things");
  ASSERT_NE(get.route, nullptr);
  EXPECT_EQ(get.route->method, http::verb::get);
  const Router::Match post = router.Find(http::verb::post, "/v1/things");
  ASSERT_NE(post.route, nullptr);
  EXPECT_EQ(post.route->method, http::verb::post);
  EXPECT_EQ(router.Find(http::verb::put, "/v1/things").route, nullptr);
  EXPECT_EQ(router.Find(http::verb::put, "/v1/things").allowed, "GET, POST");
}

TEST(RouterTest, UnknownPathsMatchNothing) {
  const Router router = MakeRouter();
  for (const char* path : {"/v1/job", "/v1/jobs/a/b", "/v1/jobs/", "/v2/jobs", "/v1", "/v1/jobs//",
                           "/v1/sites/fab1/jobs", "/v1/sites//jobs/1", "/v1/eventx", "v1/jobz"}) {
    const Router::Match match = router.Find(http::verb::get, path);
    EXPECT_EQ(match.route, nullptr) << path << " matched " << PatternOf(match);
    EXPECT_EQ(match.allowed, "") << path;
    EXPECT_TRUE(match.params.empty()) << path;
  }
}

TEST(RouterTest, RootPath) {
  const Router router = MakeRouter();
  EXPECT_EQ(PatternOf(router.Find(http::verb::get, "/")), "/");
  EXPECT_EQ(router.Find(http::verb::post, "/").allowed, "GET");
}

TEST(RouterTest, EmptyRouterMatchesNothing) {
  const Router router;
  const Router::Match match = router.Find(http::verb::get, "/v1/jobs");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_EQ(match.allowed, "");
}

TEST(SplitPathTest, Segments) {
  EXPECT_EQ(SplitPath("/a/b/c"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(SplitPath("a/b"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(SplitPath("/"), (std::vector<std::string>{""}));
  EXPECT_EQ(SplitPath("/a/"), (std::vector<std::string>{"a", ""}));
  EXPECT_EQ(SplitPath("/a//b"), (std::vector<std::string>{"a", "", "b"}));
}

}  // namespace
}  // namespace dataplane::http
