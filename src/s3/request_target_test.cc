#include "s3/request_target.h"

#include <gtest/gtest.h>

namespace dataplane::s3 {
namespace {

TEST(UriEncodeTest, HiveKeyKeepsSlashesAndEncodesEquals) {
  EXPECT_EQ(UriEncode("site=fab1/table=event/date=2026-12-01/part-0000.parquet", true),
            "site%3Dfab1/table%3Devent/date%3D2026-12-01/part-0000.parquet");
}

TEST(UriEncodeTest, UnreservedBytesStayAndOthersAreUpperHex) {
  EXPECT_EQ(UriEncode("AZaz09-._~", false), "AZaz09-._~");
  EXPECT_EQ(UriEncode("a b+c*d%", false), "a%20b%2Bc%2Ad%25");
  EXPECT_EQ(UriEncode("a/b", false), "a%2Fb");
  EXPECT_EQ(UriEncode("\xC3\xA9", false), "%C3%A9");  // é in UTF-8
}

TEST(UriDecodeTest, ReversesEncodingAndReadsPlusAsSpace) {
  const std::string key = "site=fab1/a b+c/\xC3\xA9.parquet";
  EXPECT_EQ(UriDecode(UriEncode(key, true)), key);
  EXPECT_EQ(UriDecode("a+b%2Bc"), "a b+c");
  EXPECT_EQ(UriDecode("bad%zzescape%4"), "bad%zzescape%4");
}

TEST(CanonicalQueryTest, SortsByNameEncodesAndWritesEmptyValues) {
  EXPECT_EQ(CanonicalQuery({{"uploads", ""}}), "uploads=");
  EXPECT_EQ(CanonicalQuery({{"prefix", "site=fab1/"},
                            {"max-keys", "2"},
                            {"list-type", "2"},
                            {"continuation-token", "a+b/c=="}}),
            "continuation-token=a%2Bb%2Fc%3D%3D&list-type=2&max-keys=2&prefix=site%3Dfab1%2F");
}

TEST(ParseEndpointTest, AcceptsSchemeHostAndPort) {
  auto endpoint = ParseEndpoint("http://127.0.0.1:8080/");
  ASSERT_TRUE(endpoint.ok()) << endpoint.error().message;
  EXPECT_EQ(endpoint->scheme, "http");
  EXPECT_EQ(endpoint->authority, "127.0.0.1:8080");
  auto aws = ParseEndpoint("https://s3.eu-west-1.amazonaws.com");
  ASSERT_TRUE(aws.ok());
  EXPECT_EQ(aws->authority, "s3.eu-west-1.amazonaws.com");
}

TEST(ParseEndpointTest, RefusesWhatItCannotSign) {
  for (const char* bad : {"127.0.0.1:8080", "ftp://host", "http://", "http://host/base",
                          "http://host?x=1", "http://user@host", "http://host:80x"}) {
    auto endpoint = ParseEndpoint(bad);
    ASSERT_FALSE(endpoint.ok()) << bad;
    EXPECT_EQ(endpoint.error().kind, core::ErrorKind::kInvalidInput);
    EXPECT_NE(endpoint.error().message.find(bad), std::string::npos);
  }
}

TEST(ObjectUrlTest, PathStyleCarriesTheBucketInThePath) {
  const Endpoint endpoint{"http", "127.0.0.1:9000"};
  EXPECT_EQ(ObjectUrl(endpoint, AddressingStyle::kPath, "archive", "site=fab1/x.parquet"),
            "http://127.0.0.1:9000/archive/site%3Dfab1/x.parquet");
  EXPECT_EQ(ObjectUrl(endpoint, AddressingStyle::kPath, "archive", "", {{"list-type", "2"}}),
            "http://127.0.0.1:9000/archive?list-type=2");
}

TEST(ObjectUrlTest, VirtualHostedCarriesTheBucketInTheHost) {
  const Endpoint endpoint{"https", "s3.eu-west-1.amazonaws.com"};
  EXPECT_EQ(
      ObjectUrl(endpoint, AddressingStyle::kVirtualHosted, "archive", "a b", {{"uploads", ""}}),
      "https://archive.s3.eu-west-1.amazonaws.com/a%20b?uploads=");
  EXPECT_EQ(ObjectUrl(endpoint, AddressingStyle::kVirtualHosted, "archive", ""),
            "https://archive.s3.eu-west-1.amazonaws.com/");
}

}  // namespace
}  // namespace dataplane::s3
