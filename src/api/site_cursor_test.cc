#include "api/site_cursor.h"

#include <gtest/gtest.h>

#include "core/base64url.h"

namespace dataplane::api {
namespace {

const char* kId = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";

TEST(SiteCursor, RoundTrip) {
  SiteCursor cursor;
  cursor.sites["fab1"] = Cursor{1764700000123456, kId};
  cursor.sites["fab2"] = SiteDone{};
  cursor.sites["site-3:18000"] = Cursor{-5, kId};
  auto decoded = DecodeSiteCursor(EncodeSiteCursor(cursor));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(*decoded, cursor);
  auto empty = DecodeSiteCursor(EncodeSiteCursor({}));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->sites.empty());
}

TEST(SiteCursor, RefusesWhatItCouldNotHaveWritten) {
  const auto refused = [](const std::string& raw) {
    auto decoded = DecodeSiteCursor(core::Base64UrlEncode(raw));
    return !decoded.ok() && decoded.error().code == "invalid_cursor";
  };
  const std::string local = EncodeCursor(Cursor{1, kId});
  EXPECT_FALSE(refused("s1|fab1=" + local + "|fab2=~"));  // the well-formed one passes
  EXPECT_TRUE(refused("s2|fab1=" + local));               // another version
  EXPECT_TRUE(refused("s1fab1=" + local));
  EXPECT_TRUE(refused("s1|fab1"));
  EXPECT_TRUE(refused("s1|=" + local));
  EXPECT_TRUE(refused("s1|fab1=x"));                // not a site's cursor
  EXPECT_TRUE(refused("s1|fab1=~|fab1=" + local));  // a site twice
  EXPECT_TRUE(refused("s1|fab2=~|fab1=~"));         // not in the written order
  EXPECT_TRUE(refused("s1|"));
  EXPECT_FALSE(DecodeSiteCursor("not base64!").ok());
  EXPECT_FALSE(DecodeSiteCursor(std::string(70000, 'A')).ok());
}

}  // namespace
}  // namespace dataplane::api
