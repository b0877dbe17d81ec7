#pragma once
// How a refused or failed S3 request becomes a core::Error: the one place that reads S3's error
// codes. The message always names the operation and key, the HTTP status, S3's code and message
// and the request id, so a log line is enough to find the request in S3's logs. Codes:
//   s3_wrong_key (kUnauthorized)            InvalidAccessKeyId, SignatureDoesNotMatch
//   s3_clock_skew (kUnauthorized)           RequestTimeTooSkewed: fix this host's clock
//   s3_access_denied (kForbidden)           AccessDenied
//   s3_no_such_bucket / s3_no_such_key / s3_no_such_upload (kNotFound)
//   s3_bad_digest (kInvalidInput)           BadDigest, InvalidDigest: Content-MD5 mismatch
//   s3_entity_too_small (kInvalidInput)     a part but the last under 5 MiB
//   s3_content_sha256_mismatch (kInvalidInput)  XAmzContentSHA256Mismatch
//   s3_unavailable (kUnavailable)           5xx, still failing after the retries
//   s3_unreachable (kUnavailable)           timeout or connection failure after the retries
//   s3_refused (kind by status)             any other refusal
// Pure functions; safe from any thread.
#include <string_view>

#include "core/error.h"

namespace dataplane::s3 {

//! The error for an HTTP answer with a status outside 2xx; `body` may be empty (HEAD).
//! `what` is "PutObject archive/site=fab1/…"; `attempts` is how many were made.
core::Error ErrorFromAnswer(std::string_view what, long status, std::string_view body,
                            int attempts);

//! The error for a request that got no answer (libcurl's `reason`) after `attempts` attempts.
core::Error ErrorFromTransport(std::string_view what, std::string_view reason, int attempts);

}  // namespace dataplane::s3
