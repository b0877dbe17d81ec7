// Retries against the HTTP test server: 5xx and lost connections are retried with backoff up
// to the configured attempts, then kUnavailable; a 4xx is never retried. The test server does
// not check signatures; Swift's S3 is not needed here.
#include <atomic>

#include <gtest/gtest.h>

#include "http/testing/test_server.h"
#include "s3/s3_client.h"

namespace dataplane::s3 {
namespace {

namespace http = dataplane::http;
using http::testing::TestServer;

S3ClientOptions OptionsFor(const std::string& endpoint) {
  S3ClientOptions options;
  options.endpoint = endpoint;
  options.bucket = "archive";
  options.access_key = "key";
  options.secret_key = "secret";
  options.retry.max_attempts = 3;
  options.retry.initial_backoff = std::chrono::milliseconds(5);
  options.retry.max_backoff = std::chrono::milliseconds(20);
  return options;
}

http::HttpResponse Answer(const http::HttpRequest& request, http::status status, std::string body) {
  http::HttpResponse response{status, request.version()};
  response.keep_alive(request.keep_alive());
  response.set(http::field::content_type, "application/xml");
  if (status == http::status::ok) response.set(http::field::etag, "\"e1\"");
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

std::string ErrorXml(const std::string& code) {
  return "<Error><Code>" + code + "</Code><Message>m</Message></Error>";
}

std::unique_ptr<S3Client> ClientFor(const std::string& endpoint) {
  auto client = S3Client::Create(OptionsFor(endpoint));
  EXPECT_TRUE(client.ok()) << client.error().message;
  return client.ok() ? std::move(*client) : nullptr;
}

TEST(RetryOnServerErrors, TwoFailuresThenSuccessSucceeds) {
  TestServer server;
  std::atomic<int> calls = 0;
  server.SetHandler([&](const http::HttpRequest& request) {
    if (++calls <= 2)
      return Answer(request, http::status::internal_server_error, ErrorXml("InternalError"));
    return Answer(request, http::status::ok, "");
  });
  auto client = ClientFor(server.url());
  ASSERT_NE(client, nullptr);
  auto etag = client->PutObject("site=fab1/x", "body");
  ASSERT_TRUE(etag.ok()) << etag.error().message;
  EXPECT_EQ(*etag, "e1");
  EXPECT_EQ(server.requests(), 3);
}

TEST(RetryOnServerErrors, AlwaysFailingIsUnavailableAfterTheConfiguredAttempts) {
  TestServer server;
  server.SetHandler([](const http::HttpRequest& request) {
    return Answer(request, http::status::service_unavailable, ErrorXml("SlowDown"));
  });
  auto client = ClientFor(server.url());
  ASSERT_NE(client, nullptr);
  auto got = client->GetObject("k");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().kind, core::ErrorKind::kUnavailable);
  EXPECT_EQ(got.error().code, "s3_unavailable");
  EXPECT_NE(got.error().message.find("after 3 attempts"), std::string::npos) << got.error().message;
  EXPECT_EQ(server.requests(), 3);
}

TEST(RetryOnServerErrors, ClientErrorsAreNotRetried) {
  TestServer server;
  server.SetHandler([](const http::HttpRequest& request) {
    return Answer(request, http::status::forbidden, ErrorXml("SignatureDoesNotMatch"));
  });
  auto client = ClientFor(server.url());
  ASSERT_NE(client, nullptr);
  auto put = client->PutObject("k", "v");
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, "s3_wrong_key");
  EXPECT_EQ(server.requests(), 1);
}

TEST(RetryOnServerErrors, RefusedConnectionsAreRetriedThenUnreachable) {
  auto client = ClientFor("http://127.0.0.1:" + std::to_string(http::testing::UnusedLocalPort()));
  ASSERT_NE(client, nullptr);
  const auto start = std::chrono::steady_clock::now();
  auto head = client->HeadObject("k");
  ASSERT_FALSE(head.ok());
  EXPECT_EQ(head.error().kind, core::ErrorKind::kUnavailable);
  EXPECT_EQ(head.error().code, "s3_unreachable");
  EXPECT_NE(head.error().message.find("after 3 attempts"), std::string::npos)
      << head.error().message;
  // Two backoffs of at least half their step each: 2.5 ms + 5 ms.
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::microseconds(7500));
}

TEST(RetryOnServerErrors, TheRequestCarriesTheSignatureAndBodyHash) {
  TestServer server;
  std::string authorization, sha256, md5;
  server.SetHandler([&](const http::HttpRequest& request) {
    authorization = std::string(request[http::field::authorization]);
    sha256 = std::string(request["x-amz-content-sha256"]);
    md5 = std::string(request["content-md5"]);
    return Answer(request, http::status::ok, "");
  });
  auto client = ClientFor(server.url());
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->PutObject("k", "hello").ok());
  EXPECT_TRUE(authorization.starts_with("AWS4-HMAC-SHA256 Credential=key/")) << authorization;
  EXPECT_NE(authorization.find("/us-east-1/s3/aws4_request"), std::string::npos);
  EXPECT_NE(authorization.find("x-amz-content-sha256"), std::string::npos);
  EXPECT_EQ(sha256, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  EXPECT_EQ(md5, "XUFAKrxLKna5cZ2REBfFkg==");
}

}  // namespace
}  // namespace dataplane::s3
