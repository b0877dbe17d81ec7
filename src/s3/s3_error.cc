#include "s3/s3_error.h"

#include <string>

#include "s3/xml_answers.h"

namespace dataplane::s3 {
namespace {

using core::ErrorKind;

struct KnownCode {
  std::string_view s3_code;
  ErrorKind kind;
  std::string_view code;
  std::string_view meaning;
};

constexpr KnownCode kKnownCodes[] = {
    {"InvalidAccessKeyId", ErrorKind::kUnauthorized, "s3_wrong_key",
     "wrong key: S3 does not know the access key"},
    {"SignatureDoesNotMatch", ErrorKind::kUnauthorized, "s3_wrong_key",
     "wrong key: the signature does not match (check the secret key)"},
    {"RequestTimeTooSkewed", ErrorKind::kUnauthorized, "s3_clock_skew",
     "clock skew: this host's clock is too far from S3's"},
    {"AccessDenied", ErrorKind::kForbidden, "s3_access_denied", "the key has no access"},
    {"NoSuchBucket", ErrorKind::kNotFound, "s3_no_such_bucket", "the bucket does not exist"},
    {"NoSuchKey", ErrorKind::kNotFound, "s3_no_such_key", "the object does not exist"},
    {"NoSuchUpload", ErrorKind::kNotFound, "s3_no_such_upload",
     "the multipart upload does not exist (completed or aborted)"},
    {"BadDigest", ErrorKind::kInvalidInput, "s3_bad_digest",
     "the body does not match its Content-MD5"},
    {"InvalidDigest", ErrorKind::kInvalidInput, "s3_bad_digest", "the Content-MD5 is not valid"},
    {"EntityTooSmall", ErrorKind::kInvalidInput, "s3_entity_too_small",
     "a multipart part other than the last is under the minimum part size (5 MiB)"},
    {"XAmzContentSHA256Mismatch", ErrorKind::kInvalidInput, "s3_content_sha256_mismatch",
     "the body does not match its x-amz-content-sha256"},
};

ErrorKind KindForStatus(long status) {
  if (status >= 500) return ErrorKind::kUnavailable;
  switch (status) {
    case 401:
      return ErrorKind::kUnauthorized;
    case 403:
      return ErrorKind::kForbidden;
    case 404:
      return ErrorKind::kNotFound;
    default:
      return status >= 400 ? ErrorKind::kInvalidInput : ErrorKind::kBadGateway;
  }
}

std::string Attempts(int attempts) {
  return attempts > 1 ? " after " + std::to_string(attempts) + " attempts" : "";
}

}  // namespace

core::Error ErrorFromAnswer(std::string_view what, long status, std::string_view body,
                            int attempts) {
  const std::optional<ErrorBody> answer = ParseErrorBody(body);
  std::string detail = "HTTP " + std::to_string(status);
  if (answer) {
    detail += " " + answer->code;
    if (!answer->message.empty()) detail += ": " + answer->message;
    if (!answer->request_id.empty()) detail += " (request id " + answer->request_id + ")";
  } else if (body.empty()) {
    detail += " without an error body";
  }
  const std::string prefix = "S3 " + std::string(what) + ": ";
  if (status >= 500) {
    return {ErrorKind::kUnavailable,
            "s3_unavailable",
            prefix + "S3 failed" + Attempts(attempts) + " (" + detail + ")",
            {}};
  }
  for (const KnownCode& known : kKnownCodes) {
    if (answer && answer->code == known.s3_code) {
      return {known.kind,
              std::string(known.code),
              prefix + std::string(known.meaning) + " (" + detail + ")",
              {}};
    }
  }
  if (!answer && status == 403) {
    // HEAD answers carry no body: all S3 says is "forbidden".
    return {ErrorKind::kForbidden,
            "s3_refused",
            prefix + "refused: a wrong access key or secret key, or no access (" + detail + ")",
            {}};
  }
  return {KindForStatus(status), "s3_refused", prefix + "refused (" + detail + ")", {}};
}

core::Error ErrorFromTransport(std::string_view what, std::string_view reason, int attempts) {
  return {ErrorKind::kUnavailable,
          "s3_unreachable",
          "S3 " + std::string(what) + ": no answer" + Attempts(attempts) + " (" +
              std::string(reason) + ")",
          {}};
}

}  // namespace dataplane::s3
