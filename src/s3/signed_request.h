#pragma once
// One SigV4-signed HTTP exchange with S3, over a libcurl easy handle.
//
// libcurl signs (CURLOPT_AWS_SIGV4 "aws:amz:<region>:s3", the access key and secret as user and
// password); we add x-amz-content-sha256 with the SHA-256 of the body, which libcurl puts into
// the signature and S3 checks against what it receives. The URL must already be canonical
// (request_target.h): it goes out byte for byte (CURLOPT_PATH_AS_IS).
// Perform makes one attempt and says what happened; whether to try again is the caller's call
// (retry_policy.h). A SignedSession keeps its connection alive between requests; it is not
// thread-safe: one thread at a time, a session per thread.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "s3/client_options.h"

namespace dataplane::s3 {

// Receives a successful (2xx) response body chunk by chunk; an Error stops the transfer.
using BodySink = std::function<core::Status(std::string_view chunk)>;

struct S3Request {
  std::string method;                // GET, HEAD, PUT, POST, DELETE
  std::string url;                   // canonical (request_target.h)
  std::string_view body;             // PUT and POST only; must outlive Perform
  std::vector<std::string> headers;  // extra "Name: value" lines, e.g. Content-MD5
  const BodySink* sink = nullptr;    // takes a 2xx body; null: S3Response::body collects it
};

struct S3Response {
  long status = 0;
  std::string body;  // the whole body, unless a sink took a 2xx one
  std::string etag;  // the ETag header, without quotes
  std::optional<std::uint64_t> content_length;
};

// What one attempt came to.
struct Exchange {
  enum class Outcome {
    kAnswered,    // S3 answered: `response` (any status)
    kNoAnswer,    // no (complete) answer: `reason`; `retryable` for timeouts and lost connections
    kSinkFailed,  // the sink refused a chunk: `sink_error`
  };
  Outcome outcome = Outcome::kNoAnswer;
  S3Response response;
  std::string reason;
  bool retryable = false;
  core::Error sink_error;
  bool delivered = false;  // the sink received part of a body: a retry would repeat it
};

class SignedSession {
 public:
  //! Keeps a copy of the region, credentials and timeouts of `options`.
  explicit SignedSession(const S3ClientOptions& options);
  ~SignedSession();
  SignedSession(const SignedSession&) = delete;
  SignedSession& operator=(const SignedSession&) = delete;

  //! Sends `request` once, signed, and reads the answer.
  Exchange Perform(const S3Request& request);

 private:
  struct Handle;
  std::unique_ptr<Handle> handle_;
};

}  // namespace dataplane::s3
