#include "http/url.h"

#include <gtest/gtest.h>

namespace dataplane::http {
namespace {

TEST(ParseHttpUrlTest, HttpWithPortAndNoPath) {
  auto t = ParseHttpUrl("http://127.0.0.1:18000");
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->scheme, Scheme::kHttp);
  EXPECT_EQ(t->host, "127.0.0.1");
  EXPECT_EQ(t->port, 18000);
  EXPECT_EQ(t->base_path, "");
  EXPECT_EQ(t->Endpoint(), "127.0.0.1:18000");
  EXPECT_EQ(t->HostHeader(), "127.0.0.1:18000");
}

TEST(ParseHttpUrlTest, SchemeIsOptionalAndTheTrailingSlashGoes) {
  auto t = ParseHttpUrl("site1-api:18000/prefix/");
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->scheme, Scheme::kHttp);
  EXPECT_EQ(t->host, "site1-api");
  EXPECT_EQ(t->port, 18000);
  EXPECT_EQ(t->base_path, "/prefix");
}

TEST(ParseHttpUrlTest, DefaultPorts) {
  auto http = ParseHttpUrl("http://example.com/");
  ASSERT_TRUE(http.ok());
  EXPECT_EQ(http->port, 80);
  EXPECT_EQ(http->HostHeader(), "example.com");
  auto https = ParseHttpUrl("HTTPS://s3.example.com/bucket/a/");
  ASSERT_TRUE(https.ok());
  EXPECT_EQ(https->scheme, Scheme::kHttps);
  EXPECT_TRUE(https->tls());
  EXPECT_EQ(https->port, 443);
  EXPECT_EQ(https->base_path, "/bucket/a");
  EXPECT_EQ(https->Endpoint(), "s3.example.com:443");
  EXPECT_EQ(https->HostHeader(), "s3.example.com");
  auto https_on_80 = ParseHttpUrl("https://x:80");
  ASSERT_TRUE(https_on_80.ok());
  EXPECT_EQ(https_on_80->HostHeader(), "x:80");
}

TEST(ParseHttpUrlTest, BracketedIpv6) {
  auto t = ParseHttpUrl("http://[::1]:8080/api");
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->host, "::1");
  EXPECT_EQ(t->port, 8080);
  EXPECT_EQ(t->base_path, "/api");
  EXPECT_EQ(t->Endpoint(), "[::1]:8080");
  auto d = ParseHttpUrl("https://[2001:db8::7]");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->host, "2001:db8::7");
  EXPECT_EQ(d->HostHeader(), "[2001:db8::7]");
}

TEST(ParseHttpUrlTest, BadUrlsAreInvalidInputNamingTheField) {
  for (const char* url : {"ftp://x", "http://", "", "http://x:0", "http://x:65536", "http://x:1a",
                          "http://u:p@x/", "http://x/?q=1", "http://x/#f", "http://[::1"}) {
    auto t = ParseHttpUrl(url, "--url");
    ASSERT_FALSE(t.ok()) << url;
    EXPECT_EQ(t.error().kind, core::ErrorKind::kInvalidInput) << url;
    EXPECT_EQ(t.error().code, "invalid_url") << url;
    EXPECT_EQ(t.error().field, "--url") << url;
    EXPECT_NE(t.error().message.find(url), std::string::npos) << t.error().message;
  }
}

}  // namespace
}  // namespace dataplane::http
