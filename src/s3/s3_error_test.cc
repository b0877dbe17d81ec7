#include "s3/s3_error.h"

#include <gtest/gtest.h>

namespace dataplane::s3 {
namespace {

using core::ErrorKind;

std::string ErrorXml(const std::string& code) {
  return "<?xml version='1.0' encoding='UTF-8'?>\n<Error><Code>" + code +
         "</Code><Message>text of " + code + "</Message><RequestId>tx9</RequestId></Error>";
}

TEST(ErrorFromAnswerTest, NamesAWrongKey) {
  for (const char* code : {"SignatureDoesNotMatch", "InvalidAccessKeyId"}) {
    const core::Error error = ErrorFromAnswer("GetObject b/k", 403, ErrorXml(code), 1);
    EXPECT_EQ(error.kind, ErrorKind::kUnauthorized) << code;
    EXPECT_EQ(error.code, "s3_wrong_key") << code;
    EXPECT_NE(error.message.find("wrong key"), std::string::npos) << error.message;
    EXPECT_NE(error.message.find(code), std::string::npos) << error.message;
    EXPECT_NE(error.message.find("GetObject b/k"), std::string::npos) << error.message;
    EXPECT_NE(error.message.find("tx9"), std::string::npos) << error.message;
  }
}

TEST(ErrorFromAnswerTest, NamesEachKnownProblem) {
  const struct {
    const char* s3_code;
    long status;
    ErrorKind kind;
    const char* code;
    const char* words;
  } cases[] = {
      {"RequestTimeTooSkewed", 403, ErrorKind::kUnauthorized, "s3_clock_skew", "clock skew"},
      {"NoSuchBucket", 404, ErrorKind::kNotFound, "s3_no_such_bucket", "bucket"},
      {"BadDigest", 400, ErrorKind::kInvalidInput, "s3_bad_digest", "Content-MD5"},
      {"InvalidDigest", 400, ErrorKind::kInvalidInput, "s3_bad_digest", "Content-MD5"},
      {"EntityTooSmall", 400, ErrorKind::kInvalidInput, "s3_entity_too_small", "5 MiB"},
      {"XAmzContentSHA256Mismatch", 400, ErrorKind::kInvalidInput, "s3_content_sha256_mismatch",
       "x-amz-content-sha256"},
  };
  for (const auto& c : cases) {
    const core::Error error = ErrorFromAnswer("PutObject b/k", c.status, ErrorXml(c.s3_code), 1);
    EXPECT_EQ(error.kind, c.kind) << c.s3_code;
    EXPECT_EQ(error.code, c.code) << c.s3_code;
    EXPECT_NE(error.message.find(c.words), std::string::npos) << error.message;
  }
}

TEST(ErrorFromAnswerTest, ServerErrorsAreUnavailableWithTheAttempts) {
  const core::Error error = ErrorFromAnswer("PutObject b/k", 503, ErrorXml("SlowDown"), 4);
  EXPECT_EQ(error.kind, ErrorKind::kUnavailable);
  EXPECT_EQ(error.code, "s3_unavailable");
  EXPECT_NE(error.message.find("after 4 attempts"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("SlowDown"), std::string::npos) << error.message;
  EXPECT_EQ(ErrorFromAnswer("GetObject b/k", 500, "<html/>", 1).kind, ErrorKind::kUnavailable);
}

TEST(ErrorFromAnswerTest, UnknownCodesAndBodilessAnswersGoByStatus) {
  const core::Error other = ErrorFromAnswer("PutObject b/k", 400, ErrorXml("InvalidArgument"), 1);
  EXPECT_EQ(other.kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(other.code, "s3_refused");
  EXPECT_NE(other.message.find("InvalidArgument"), std::string::npos);
  const core::Error head = ErrorFromAnswer("HeadObject b/k", 403, "", 1);
  EXPECT_EQ(head.kind, ErrorKind::kForbidden);
  EXPECT_NE(head.message.find("wrong access key"), std::string::npos) << head.message;
  EXPECT_EQ(ErrorFromAnswer("HeadObject b/k", 404, "", 1).kind, ErrorKind::kNotFound);
}

TEST(ErrorFromTransportTest, IsUnavailableWithTheReason) {
  const core::Error error = ErrorFromTransport("GetObject b/k", "Connection refused", 3);
  EXPECT_EQ(error.kind, ErrorKind::kUnavailable);
  EXPECT_EQ(error.code, "s3_unreachable");
  EXPECT_NE(error.message.find("Connection refused"), std::string::npos);
  EXPECT_NE(error.message.find("after 3 attempts"), std::string::npos);
}

}  // namespace
}  // namespace dataplane::s3
