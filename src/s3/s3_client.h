#pragma once
// A blocking S3 client for one bucket: the object operations the Archiver needs, and the
// multipart upload steps behind PutObjectFromSource (source_upload.h).
//
// Every request is signed with SigV4 (signed_request.h) and carries the SHA-256 of its body;
// bodies that S3 should verify also carry Content-MD5. A request that meets a 5xx, a timeout or
// a failed connection is retried with exponential backoff and jitter (options.retry), never one
// refused with a 4xx. Failures are core::Error values (s3_error.h names the codes): a 4xx says
// which problem (wrong key, no such bucket, bad digest …), a 5xx or no answer after the last
// attempt is kUnavailable. Object keys are any UTF-8 text, "/" and "=" included.
//
// Threading: calls block the calling thread (retry waits included) and must not overlap: one
// thread at a time per client, a client per thread. The client owns its connection.
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "s3/client_options.h"
#include "s3/object_types.h"
#include "s3/request_target.h"
#include "s3/signed_request.h"

namespace dataplane::s3 {

class S3Client {
 public:
  //! A client for options.bucket; kInvalidInput when the options cannot work (s3_bad_endpoint,
  //! s3_bad_options). Makes no request.
  static core::Result<std::unique_ptr<S3Client>> Create(S3ClientOptions options);
  ~S3Client();
  S3Client(const S3Client&) = delete;
  S3Client& operator=(const S3Client&) = delete;

  const S3ClientOptions& options() const { return options_; }

  //! Creates the bucket; succeeds when this account owns it already (for tests, first runs).
  core::Status CreateBucket();

  //! Stores `body` under `key` in one request (Content-MD5 checked by S3); returns the ETag.
  core::Result<std::string> PutObject(std::string_view key, std::string_view body);

  //! The size and ETag of `key`, or nullopt when there is no such object.
  core::Result<std::optional<ObjectInfo>> HeadObject(std::string_view key);

  //! The whole content of `key` (s3_no_such_key when absent).
  core::Result<std::string> GetObject(std::string_view key);

  //! The content of `key`, chunk by chunk, into `sink`. Retried only while no chunk has reached
  //! the sink; a sink's Error stops the transfer and is returned as it is.
  core::Status GetObject(std::string_view key, const BodySink& sink);

  //! One page of up to `max_keys` keys starting with `prefix`, after `continuation_token`
  //! (empty: the first page).
  core::Result<ListPage> ListObjectsV2(std::string_view prefix,
                                       std::string_view continuation_token = {},
                                       int max_keys = 1000);

  //! Every object whose key starts with `prefix`, all pages followed, in key order.
  core::Result<std::vector<ListedObject>> ListAllObjects(std::string_view prefix,
                                                         int page_size = 1000);

  //! Deletes `key`; succeeds as well when there was no such object (S3 answers 204 either way).
  core::Status DeleteObject(std::string_view key);

  // Multipart upload, step by step (PutObjectFromSource drives them and aborts on failure).
  //! Starts an upload of `key`; returns its upload id.
  core::Result<std::string> CreateMultipartUpload(std::string_view key);
  //! Sends part `part_number` (1 to 10000) with Content-MD5; returns the part's ETag.
  core::Result<std::string> UploadPart(std::string_view key, std::string_view upload_id,
                                       int part_number, std::string_view body);
  //! Joins `parts` (in part-number order) into the object; returns its ETag. S3 may refuse
  //! here (s3_entity_too_small); the upload then stays until aborted.
  core::Result<std::string> CompleteMultipartUpload(std::string_view key,
                                                    std::string_view upload_id,
                                                    const std::vector<CompletedPart>& parts);
  //! Drops the upload and the parts it stored.
  core::Status AbortMultipartUpload(std::string_view key, std::string_view upload_id);
  //! The uploads started under `prefix` and not yet completed or aborted (the first 1000).
  core::Result<std::vector<PendingUpload>> ListMultipartUploads(std::string_view prefix);

 private:
  S3Client(S3ClientOptions options, Endpoint endpoint);

  std::string UrlFor(std::string_view key, QueryParams query = {}) const;
  //! "PutObject bucket/key", for error messages.
  std::string Describe(std::string_view operation, std::string_view key) const;

  //! Sends `request` with retries; the answer, whatever its status, or why there was none.
  core::Result<S3Response> Send(const std::string& what, const S3Request& request);
  //! Send, and any status outside 2xx as its Error.
  core::Result<S3Response> SendExpectingSuccess(const std::string& what, const S3Request& request);

  S3ClientOptions options_;
  Endpoint endpoint_;
  SignedSession session_;
  std::mt19937_64 jitter_;  // retry delays
};

}  // namespace dataplane::s3
