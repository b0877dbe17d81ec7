#include "central_api/site_list.h"

#include <gtest/gtest.h>

namespace dataplane::central_api {
namespace {

TEST(SiteList, TheSeedsFormLeavesNamesToBeLearned) {
  auto sites = ParseSiteUrls("http://site1-api:18000,http://site2-api:18000");
  ASSERT_TRUE(sites.ok()) << sites.error().message;
  ASSERT_EQ(sites->size(), 2u);
  EXPECT_EQ((*sites)[0].name, "");
  EXPECT_EQ((*sites)[0].url, "http://site1-api:18000");
  EXPECT_EQ((*sites)[0].target.host, "site1-api");
  EXPECT_EQ((*sites)[1].target.port, 18000);
}

TEST(SiteList, NamedAndMixedEntriesWithSpaces) {
  auto sites = ParseSiteUrls(" fab1=http://a:1/api , http://b:2, fab-3.x_y=https://c ");
  ASSERT_TRUE(sites.ok()) << sites.error().message;
  ASSERT_EQ(sites->size(), 3u);
  EXPECT_EQ((*sites)[0].name, "fab1");
  EXPECT_EQ((*sites)[0].target.base_path, "/api");
  EXPECT_EQ((*sites)[1].name, "");
  EXPECT_EQ((*sites)[2].name, "fab-3.x_y");
  EXPECT_TRUE((*sites)[2].target.tls());
}

TEST(SiteList, AnEqualsSignInThePathIsNotAName) {
  auto sites = ParseSiteUrls("http://a:1/x=y");
  ASSERT_TRUE(sites.ok()) << sites.error().message;
  EXPECT_EQ((*sites)[0].name, "");
  EXPECT_EQ((*sites)[0].target.base_path, "/x=y");
}

void ExpectRefused(const std::string& text, const std::string& part) {
  auto sites = ParseSiteUrls(text);
  ASSERT_FALSE(sites.ok()) << text;
  EXPECT_EQ(sites.error().field, "SITE_URLS");
  EXPECT_NE(sites.error().message.find(part), std::string::npos)
      << text << " -> " << sites.error().message;
}

TEST(SiteList, BadListsAreRefusedNamingTheEntry) {
  ExpectRefused("", "SITE_URLS is required");
  ExpectRefused("  ", "SITE_URLS is required");
  ExpectRefused("http://a:1,,http://b:2", "entry 2");
  ExpectRefused("http://a:1,", "entry 2 (''): empty entry");
  ExpectRefused("ftp://a:1", "entry 1 ('ftp://a:1')");
  ExpectRefused("http://a:1,http://b:99999", "entry 2 ('http://b:99999')");
  ExpectRefused("fab1=http://a:1,fab1=http://b:2", "'fab1' is used twice");
  ExpectRefused("http://a:1,x=http://a:1", "listed twice");
  ExpectRefused("fab 1=http://a:1", "a site name is");
  ExpectRefused("=http://a:1", "a site name is");
}

TEST(SiteList, SiteIds) {
  EXPECT_TRUE(IsValidSiteId("fab1"));
  EXPECT_TRUE(IsValidSiteId("site-1.a_b"));
  EXPECT_FALSE(IsValidSiteId(""));
  EXPECT_FALSE(IsValidSiteId("a|b"));
  EXPECT_FALSE(IsValidSiteId("a=b"));
  EXPECT_FALSE(IsValidSiteId(std::string(65, 'a')));
}

}  // namespace
}  // namespace dataplane::central_api
