#include "s3/s3_client.h"

#include <thread>

#include "s3/digest.h"
#include "s3/s3_error.h"
#include "s3/xml_answers.h"

namespace dataplane::s3 {
namespace {

core::Error BadOptions(std::string field, std::string message) {
  return core::Error::Invalid("s3_bad_options", std::move(field), "S3 options: " + message);
}

std::optional<core::Error> CheckOptions(const S3ClientOptions& options) {
  if (options.bucket.empty()) return BadOptions("bucket", "no bucket");
  if (options.region.empty()) return BadOptions("region", "no region");
  if (options.access_key.empty() || options.secret_key.empty()) {
    return BadOptions("access_key", "no access key or secret key");
  }
  if (options.retry.max_attempts < 1) return BadOptions("retry", "max_attempts must be >= 1");
  if (options.part_size == 0) return BadOptions("part_size", "the part size must be positive");
  if (options.multipart_threshold > options.part_size) {
    // PutObjectFromSource holds one part in memory; it cannot hold more to decide.
    return BadOptions("multipart_threshold", "the multipart threshold exceeds the part size");
  }
  return std::nullopt;
}

// A request whose 2xx answer has nothing to read.
core::Status Done(const core::Result<S3Response>& response) {
  if (!response) return response.error();
  return core::OkStatus();
}

}  // namespace

core::Result<std::unique_ptr<S3Client>> S3Client::Create(S3ClientOptions options) {
  if (auto error = CheckOptions(options)) return *error;
  auto endpoint = ParseEndpoint(options.endpoint);
  if (!endpoint) return endpoint.error();
  return std::unique_ptr<S3Client>(new S3Client(std::move(options), std::move(*endpoint)));
}

S3Client::S3Client(S3ClientOptions options, Endpoint endpoint)
    : options_(std::move(options)),
      endpoint_(std::move(endpoint)),
      session_(options_),
      jitter_(std::random_device{}()) {}

S3Client::~S3Client() = default;

std::string S3Client::UrlFor(std::string_view key, QueryParams query) const {
  return ObjectUrl(endpoint_, options_.addressing, options_.bucket, key, std::move(query));
}

std::string S3Client::Describe(std::string_view operation, std::string_view key) const {
  std::string out = std::string(operation) + " " + options_.bucket;
  if (!key.empty()) out += "/" + std::string(key);
  return out;
}

core::Result<S3Response> S3Client::Send(const std::string& what, const S3Request& request) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int attempt = 1;; ++attempt) {
    Exchange exchange = session_.Perform(request);
    const bool may_retry = options_.retry.MayRetryAfter(attempt) && !exchange.delivered;
    switch (exchange.outcome) {
      case Exchange::Outcome::kSinkFailed:
        return exchange.sink_error;
      case Exchange::Outcome::kNoAnswer:
        if (!exchange.retryable || !may_retry) {
          return ErrorFromTransport(what, exchange.reason, attempt);
        }
        break;
      case Exchange::Outcome::kAnswered:
        if (!IsRetryableStatus(exchange.response.status) || !may_retry) {
          if (IsRetryableStatus(exchange.response.status)) {
            return ErrorFromAnswer(what, exchange.response.status, exchange.response.body, attempt);
          }
          return std::move(exchange.response);
        }
        break;
    }
    std::this_thread::sleep_for(options_.retry.Delay(attempt, unit(jitter_)));
  }
}

core::Result<S3Response> S3Client::SendExpectingSuccess(const std::string& what,
                                                        const S3Request& request) {
  auto response = Send(what, request);
  if (!response) return response.error();
  if (response->status < 200 || response->status > 299) {
    return ErrorFromAnswer(what, response->status, response->body, 1);
  }
  return response;
}

core::Status S3Client::CreateBucket() {
  std::string body;
  if (options_.region != "us-east-1") {  // S3's default region takes no configuration
    body = "<CreateBucketConfiguration><LocationConstraint>" + options_.region +
           "</LocationConstraint></CreateBucketConfiguration>";
  }
  const std::string what = Describe("CreateBucket", "");
  auto response = Send(what, {"PUT", UrlFor(""), body, {}, nullptr});
  if (!response) return response.error();
  if (response->status >= 200 && response->status <= 299) return core::OkStatus();
  const auto answer = ParseErrorBody(response->body);
  if (response->status == 409 && answer && answer->code == "BucketAlreadyOwnedByYou") {
    return core::OkStatus();
  }
  return ErrorFromAnswer(what, response->status, response->body, 1);
}

core::Result<std::string> S3Client::PutObject(std::string_view key, std::string_view body) {
  auto response = SendExpectingSuccess(
      Describe("PutObject", key),
      {"PUT", UrlFor(key), body, {"Content-MD5: " + Md5Base64(body)}, nullptr});
  if (!response) return response.error();
  return std::move(response->etag);
}

core::Result<std::optional<ObjectInfo>> S3Client::HeadObject(std::string_view key) {
  const std::string what = Describe("HeadObject", key);
  auto response = Send(what, {"HEAD", UrlFor(key), {}, {}, nullptr});
  if (!response) return response.error();
  if (response->status == 404) return std::optional<ObjectInfo>();
  if (response->status < 200 || response->status > 299) {
    return ErrorFromAnswer(what, response->status, response->body, 1);
  }
  return std::optional<ObjectInfo>(
      ObjectInfo{response->content_length.value_or(0), std::move(response->etag)});
}

core::Result<std::string> S3Client::GetObject(std::string_view key) {
  auto response =
      SendExpectingSuccess(Describe("GetObject", key), {"GET", UrlFor(key), {}, {}, nullptr});
  if (!response) return response.error();
  return std::move(response->body);
}

core::Status S3Client::GetObject(std::string_view key, const BodySink& sink) {
  return Done(
      SendExpectingSuccess(Describe("GetObject", key), {"GET", UrlFor(key), {}, {}, &sink}));
}

core::Result<ListPage> S3Client::ListObjectsV2(std::string_view prefix,
                                               std::string_view continuation_token, int max_keys) {
  QueryParams query = {{"list-type", "2"},
                       {"encoding-type", "url"},
                       {"max-keys", std::to_string(max_keys)},
                       {"prefix", std::string(prefix)}};
  if (!continuation_token.empty()) {
    query.emplace_back("continuation-token", std::string(continuation_token));
  }
  auto response = SendExpectingSuccess(Describe("ListObjectsV2", prefix),
                                       {"GET", UrlFor("", std::move(query)), {}, {}, nullptr});
  if (!response) return response.error();
  return ParseListObjectsV2(response->body);
}

core::Result<std::vector<ListedObject>> S3Client::ListAllObjects(std::string_view prefix,
                                                                 int page_size) {
  std::vector<ListedObject> objects;
  std::string token;
  do {
    auto page = ListObjectsV2(prefix, token, page_size);
    if (!page) return page.error();
    for (ListedObject& object : page->objects) objects.push_back(std::move(object));
    token = page->truncated ? std::move(page->next_continuation_token) : std::string();
  } while (!token.empty());
  return objects;
}

core::Status S3Client::DeleteObject(std::string_view key) {
  const std::string what = Describe("DeleteObject", key);
  auto response = Send(what, {"DELETE", UrlFor(key), {}, {}, nullptr});
  if (!response) return response.error();
  if (response->status >= 200 && response->status <= 299) return core::OkStatus();
  const auto answer = ParseErrorBody(response->body);
  if (response->status == 404 && !(answer && answer->code == "NoSuchBucket")) {
    return core::OkStatus();  // a missing key is what deleting wanted
  }
  return ErrorFromAnswer(what, response->status, response->body, 1);
}

core::Result<std::string> S3Client::CreateMultipartUpload(std::string_view key) {
  auto response = SendExpectingSuccess(Describe("CreateMultipartUpload", key),
                                       {"POST", UrlFor(key, {{"uploads", ""}}), {}, {}, nullptr});
  if (!response) return response.error();
  return ParseInitiateMultipartUpload(response->body);
}

core::Result<std::string> S3Client::UploadPart(std::string_view key, std::string_view upload_id,
                                               int part_number, std::string_view body) {
  QueryParams query = {{"partNumber", std::to_string(part_number)},
                       {"uploadId", std::string(upload_id)}};
  auto response = SendExpectingSuccess(
      Describe("UploadPart " + std::to_string(part_number) + " of", key),
      {"PUT", UrlFor(key, std::move(query)), body, {"Content-MD5: " + Md5Base64(body)}, nullptr});
  if (!response) return response.error();
  return std::move(response->etag);
}

core::Result<std::string> S3Client::CompleteMultipartUpload(
    std::string_view key, std::string_view upload_id, const std::vector<CompletedPart>& parts) {
  const std::string what = Describe("CompleteMultipartUpload", key);
  const std::string body = CompleteMultipartUploadBody(parts);
  auto response = SendExpectingSuccess(
      what, {"POST",
             UrlFor(key, {{"uploadId", std::string(upload_id)}}),
             body,
             {"Content-Type: application/xml", "Content-MD5: " + Md5Base64(body)},
             nullptr});
  if (!response) return response.error();
  // S3 may answer 200 and still fail: the <Error> comes in the body.
  if (ParseErrorBody(response->body)) return ErrorFromAnswer(what, 500, response->body, 1);
  return ParseCompleteMultipartUpload(response->body);
}

core::Status S3Client::AbortMultipartUpload(std::string_view key, std::string_view upload_id) {
  return Done(SendExpectingSuccess(
      Describe("AbortMultipartUpload", key),
      {"DELETE", UrlFor(key, {{"uploadId", std::string(upload_id)}}), {}, {}, nullptr}));
}

core::Result<std::vector<PendingUpload>> S3Client::ListMultipartUploads(std::string_view prefix) {
  QueryParams query = {{"uploads", ""}, {"encoding-type", "url"}, {"prefix", std::string(prefix)}};
  auto response = SendExpectingSuccess(Describe("ListMultipartUploads", prefix),
                                       {"GET", UrlFor("", std::move(query)), {}, {}, nullptr});
  if (!response) return response.error();
  return ParseListMultipartUploads(response->body);
}

}  // namespace dataplane::s3
