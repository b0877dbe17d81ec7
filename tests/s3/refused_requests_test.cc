// Requests Swift's S3 must refuse, and the errors that say why: a wrong secret (403, named a
// wrong key) and a body that does not match its Content-MD5 (400 BadDigest).
#include <gtest/gtest.h>

#include "s3/digest.h"
#include "s3/request_target.h"
#include "s3/s3_client.h"
#include "s3/s3_error.h"
#include "s3/signed_request.h"
#include "swift_node.h"

namespace dataplane::s3 {
namespace {

TEST(RefusedRequests, AWrongSecretIsAWrongKey) {
  const std::string bucket = testing::BucketForThisTest();
  ASSERT_NE(testing::SwiftClient(bucket), nullptr);
  S3ClientOptions options = testing::SwiftOptions(bucket);
  options.secret_key = "not-the-secret";
  auto client = S3Client::Create(options);
  ASSERT_TRUE(client.ok());

  auto put = (*client)->PutObject("k", "v");
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().kind, core::ErrorKind::kUnauthorized);
  EXPECT_EQ(put.error().code, "s3_wrong_key");
  EXPECT_NE(put.error().message.find("wrong key"), std::string::npos) << put.error().message;
  EXPECT_NE(put.error().message.find("HTTP 403"), std::string::npos) << put.error().message;

  auto list = (*client)->ListObjectsV2("");
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.error().code, "s3_wrong_key");
}

TEST(RefusedRequests, AnUnknownAccessKeyIsAWrongKey) {
  S3ClientOptions options = testing::SwiftOptions("any-bucket");
  options.access_key = "test:nobody";
  auto client = S3Client::Create(options);
  ASSERT_TRUE(client.ok());
  auto got = (*client)->GetObject("k");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, "s3_wrong_key") << got.error().message;
}

TEST(RefusedRequests, ABodyThatDoesNotMatchItsContentMd5IsABadDigest) {
  const std::string bucket = testing::BucketForThisTest();
  auto client = testing::SwiftClient(bucket);
  ASSERT_NE(client, nullptr);
  auto endpoint = ParseEndpoint(testing::SwiftUrl());
  ASSERT_TRUE(endpoint.ok());
  // The client always sends the right digest: the session sends a wrong one on purpose.
  SignedSession session(testing::SwiftOptions(bucket));
  const std::string body = "the body S3 receives";
  const Exchange exchange =
      session.Perform({"PUT",
                       ObjectUrl(*endpoint, AddressingStyle::kPath, bucket, "site=fab1/x"),
                       body,
                       {"Content-MD5: " + Md5Base64("another body")},
                       nullptr});
  ASSERT_EQ(exchange.outcome, Exchange::Outcome::kAnswered) << exchange.reason;
  EXPECT_EQ(exchange.response.status, 400);
  const core::Error error =
      ErrorFromAnswer("PutObject", exchange.response.status, exchange.response.body, 1);
  EXPECT_EQ(error.code, "s3_bad_digest") << error.message;
  EXPECT_NE(error.message.find("BadDigest"), std::string::npos) << error.message;

  auto head = client->HeadObject("site=fab1/x");
  ASSERT_TRUE(head.ok()) << head.error().message;
  EXPECT_FALSE(head->has_value()) << "S3 stored a body that failed its digest";
}

}  // namespace
}  // namespace dataplane::s3
