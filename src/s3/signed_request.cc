#include "s3/signed_request.h"

#include <curl/curl.h>

#include <mutex>
#include <stdexcept>

#include "core/text.h"
#include "s3/digest.h"
#include "s3/xml_answers.h"

namespace dataplane::s3 {
namespace {

struct CurlFree {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistFree {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using HeaderList = std::unique_ptr<curl_slist, SlistFree>;

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw std::runtime_error("curl_global_init failed");
    }
  });
}

// Timeouts and lost or refused connections: the same request may well succeed later.
bool IsRetryable(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

bool HasHeader(const std::vector<std::string>& headers, std::string_view name) {
  for (const std::string& header : headers) {
    if (header.size() > name.size() && header[name.size()] == ':' &&
        core::EqualsIgnoringAsciiCase(std::string_view(header).substr(0, name.size()), name)) {
      return true;
    }
  }
  return false;
}

// State the callbacks of one Perform share.
struct Transfer {
  CURL* curl;
  const S3Request* request;
  Exchange* exchange;
};

std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) transfer->exchange->response.etag.clear();  // after a 100
  const std::size_t colon = line.find(':');
  if (colon != std::string_view::npos &&
      core::EqualsIgnoringAsciiCase(line.substr(0, colon), "etag")) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.remove_suffix(1);
    transfer->exchange->response.etag = UnquoteEtag(core::TrimBlanks(value));
  }
  return size * count;
}

std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::string_view chunk(data, size * count);
  long status = 0;
  curl_easy_getinfo(transfer->curl, CURLINFO_RESPONSE_CODE, &status);
  Exchange& exchange = *transfer->exchange;
  if (transfer->request->sink != nullptr && status >= 200 && status <= 299) {
    core::Status taken = (*transfer->request->sink)(chunk);
    exchange.delivered = true;
    if (!taken.ok()) {
      exchange.sink_error = taken.error();
      exchange.outcome = Exchange::Outcome::kSinkFailed;
      return 0;  // libcurl stops with CURLE_WRITE_ERROR
    }
  } else {
    exchange.response.body.append(chunk);
  }
  return chunk.size();
}

// Sets the method and body of `request` on `curl`; returns the header lines to send.
std::vector<std::string> SetMethodAndBody(CURL* curl, const S3Request& request) {
  std::vector<std::string> lines = request.headers;
  lines.push_back("x-amz-content-sha256: " + Sha256Hex(request.body));
  if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (request.method == "GET") {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  if (request.method == "PUT" || request.method == "POST") {
    // Not copied: the body outlives the transfer (the contract of S3Request::body).
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    // Else libcurl labels the body a form (application/x-www-form-urlencoded).
    if (!HasHeader(lines, "Content-Type")) {
      lines.push_back("Content-Type: application/octet-stream");
    }
  }
  return lines;
}

HeaderList HeaderLines(const std::vector<std::string>& lines) {
  HeaderList headers;
  for (const std::string& line : lines) {
    curl_slist* grown = curl_slist_append(headers.get(), line.c_str());
    if (grown == nullptr) throw std::runtime_error("curl_slist_append failed");
    static_cast<void>(headers.release());  // `grown` is the same list, one line longer
    headers.reset(grown);
  }
  return headers;
}

}  // namespace

struct SignedSession::Handle {
  std::unique_ptr<CURL, CurlFree> curl;
  std::string sigv4;  // "aws:amz:<region>:s3"
  std::string access_key;
  std::string secret_key;
  long connect_timeout_ms;
  long request_timeout_ms;
  char error_buffer[CURL_ERROR_SIZE] = {};  // libcurl keeps its address: one per handle
};

SignedSession::SignedSession(const S3ClientOptions& options) {
  InitCurlOnce();
  handle_ = std::make_unique<Handle>(Handle{std::unique_ptr<CURL, CurlFree>(curl_easy_init()),
                                            "aws:amz:" + options.region + ":s3",
                                            options.access_key,
                                            options.secret_key,
                                            static_cast<long>(options.connect_timeout.count()),
                                            static_cast<long>(options.request_timeout.count()),
                                            {}});
  if (!handle_->curl) throw std::runtime_error("curl_easy_init failed");
}

SignedSession::~SignedSession() = default;

Exchange SignedSession::Perform(const S3Request& request) {
  CURL* curl = handle_->curl.get();
  curl_easy_reset(curl);  // keeps the live connection
  Exchange exchange;
  Transfer transfer{curl, &request, &exchange};
  handle_->error_buffer[0] = '\0';
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, handle_->error_buffer);
  curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, handle_->sigv4.c_str());
  curl_easy_setopt(curl, CURLOPT_USERNAME, handle_->access_key.c_str());
  curl_easy_setopt(curl, CURLOPT_PASSWORD, handle_->secret_key.c_str());
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, handle_->connect_timeout_ms);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, handle_->request_timeout_ms);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  const HeaderList headers = HeaderLines(SetMethodAndBody(curl, request));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());

  const CURLcode code = curl_easy_perform(curl);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);  // `headers` dies with this call
  if (exchange.outcome == Exchange::Outcome::kSinkFailed) return exchange;
  if (code != CURLE_OK) {
    exchange.outcome = Exchange::Outcome::kNoAnswer;
    const char* error = handle_->error_buffer;
    exchange.reason = error[0] != '\0' ? error : curl_easy_strerror(code);
    exchange.retryable = IsRetryable(code);
    return exchange;
  }
  exchange.outcome = Exchange::Outcome::kAnswered;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &exchange.response.status);
  curl_off_t length = -1;
  if (curl_easy_getinfo(curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length) == CURLE_OK &&
      length >= 0) {
    exchange.response.content_length = static_cast<std::uint64_t>(length);
  }
  return exchange;
}

}  // namespace dataplane::s3
