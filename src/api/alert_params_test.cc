// Tests of the parameters of GET /v1/alerts.
#include "api/alert_params.h"

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "api/params_test_time.h"

namespace dataplane::api {
namespace {

using test::At;
using test::kNow;
using test::Str;

TEST(AlertFilterTest, DefaultsAndFilters) {
  auto f = ParseAlertFilter("/v1/alerts", kNow);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(Str(f->since), "2026-11-28T10:17:00Z");
  EXPECT_EQ(f->limit, 100);
  f = ParseAlertFilter(
      "/v1/alerts?site_id=fab1&severity=warning,critical&kind=duration_outlier"
      "&since=2026-11-01T00:00:00Z&limit=5&app_name=litho",
      kNow);
  ASSERT_TRUE(f.ok()) << f.error().message;
  EXPECT_EQ(*f->site_id, "fab1");
  EXPECT_EQ(f->severities, (std::vector<std::string>{"warning", "critical"}));
  EXPECT_EQ(*f->kind, "duration_outlier");
  EXPECT_EQ(f->limit, 5);
  EXPECT_EQ(*f->app_name, "litho");
  for (auto [target, field] : std::initializer_list<std::pair<const char*, const char*>>{
           {"/v1/alerts?severity=urgent", "severity"},
           {"/v1/alerts?kind=cpu", "kind"},
           {"/v1/alerts?limit=0", "limit"},
           {"/v1/alerts?limit=1001", "limit"},
           {"/v1/alerts?since=now", "since"},
           {"/v1/alerts?status=open", "status"}}) {
    auto r = ParseAlertFilter(target, kNow);
    ASSERT_FALSE(r.ok()) << target;
    EXPECT_EQ(r.error().field, field) << target;
  }
}

}  // namespace
}  // namespace dataplane::api
