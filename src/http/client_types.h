#pragma once
// The vocabulary of the HTTP clients (async_client.h, and client.h, the blocking wrapper over
// it): what a caller asks for, what it gets back, and the client's limits. No Asio here, so
// callers of the blocking client do not compile it.
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dataplane::http {

struct ClientRequest {
  std::string method = "GET";  // sent as given; any token is allowed
  std::string target = "/";    // path and query, appended to the upstream's base_path
  std::string body;
  std::string content_type = "application/json";             // sent only with a non-empty body
  std::vector<std::pair<std::string, std::string>> headers;  // may override Host, User-Agent
  // Says that sending this request twice does no harm (e.g. a POST keyed by an id the server
  // deduplicates): it may then be resent on a stale keep-alive connection like a GET.
  bool idempotent = false;
  std::chrono::milliseconds timeout{0};  // overall deadline; 0: the client's default
};

struct HttpReply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names; repeated headers joined ", "

  //! The value of header `lower_case_name`, or "" when absent.
  std::string_view Header(const std::string& lower_case_name) const {
    auto it = headers.find(lower_case_name);
    return it == headers.end() ? std::string_view{} : std::string_view{it->second};
  }
};

struct HttpClientOptions {
  std::chrono::milliseconds timeout{std::chrono::seconds(10)};  // default deadline per request
  std::size_t max_idle_per_upstream = 8;  // kept-alive connections kept idle per upstream
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(15)};  // then an idle one is closed
  std::size_t max_header_bytes = 64 * 1024;                // status line and headers of a reply
  std::uint64_t max_body_bytes = std::uint64_t{64} << 20;  // body of a reply
  std::string user_agent = "dataplane-http-client";
};

}  // namespace dataplane::http
