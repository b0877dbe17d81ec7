#pragma once
// The Central API's calls to its sites: one GET to each chosen site at once, over the
// asynchronous clients' keep-alive pools (site_clients.h: the client of the calling
// coroutine's I/O context), each bounded by the site
// timeout and by the caller's deadline, so that a slow or dead site costs an answer at most
// SITE_TIMEOUT_S. Every call ends in a SiteCall saying what the site did:
//   ok            answered 200 with a JSON object (body holds it), or anything (text holds it,
//                 for the caller to check: see AnswerForm)
//   error         answered another HTTP status (http_status; message from its error body)
//   bad_answer    answered something that is not a JSON object, or more than the size limit
//   timeout       no whole answer within the timeout
//   unreachable   could not connect, or the connection broke
//   circuit_open  not called: the site's circuit breaker is open (circuit_breaker.h)
// Calls go through each site's breaker: ok and 4xx answers count as successes (the site works),
// anything else as failures. Each call carries the caller's trace (`traceparent`, with the
// Central API's span as parent), `Authorization: Bearer SITE_TOKEN` when set, and is counted
// in the per-site metrics below. Never throws.
//
// Metrics (through the service's scope): dataplane_site_request_duration_seconds{site},
// dataplane_site_requests_total{site,outcome}.
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include "central_api/site.h"
#include "central_api/site_clients.h"
#include "core/call_context.h"
#include "metrics/scope.h"

namespace dataplane::central_api {

//! How a 200 answer is kept: parsed into SiteCall::body, or as the text that came in
//! SiteCall::text, unchecked, for a caller that checks it while it reads it and copies its parts
//! through (cross_site_list.h, list_answer_scan.h); that caller turns a call whose text is not
//! what it expects into a bad_answer.
enum class AnswerForm { kParsed, kText };

//! Deep enough for any answer of a site (an event's metadata may nest 32 levels inside it).
inline constexpr std::size_t kMaxSiteAnswerDepth = 128;

enum class SiteCallStatus { kOk, kError, kBadAnswer, kTimeout, kUnreachable, kCircuitOpen };

//! "ok", "error", "bad_answer", "timeout", "unreachable", "circuit_open".
std::string_view ToString(SiteCallStatus status);

struct SiteCall {
  Site* site = nullptr;
  std::string site_id;  // the site's id when it was called
  SiteCallStatus status = SiteCallStatus::kUnreachable;
  int http_status = 0;  // 0 when there was no answer
  std::string message;  // why it is not ok; "" when ok
  double latency_ms = 0;
  core::Micros as_of = 0;   // when the answer arrived (0: none)
  boost::json::value body;  // the answer when ok and parsed (and an error answer's JSON)
  std::string text;         // the answer when ok and kept as text (AnswerForm::kText), unchecked

  bool ok() const { return status == SiteCallStatus::kOk; }
};

struct FanOutOptions {
  std::chrono::milliseconds site_timeout{2000};
  std::string site_token;  // "" sends no Authorization header
};

class FanOut {
 public:
  FanOut(SiteClients& clients, FanOutOptions options, const metrics::Scope& metrics);

  //! GET target_of(site) on every site of `sites` at once; the calls in the order of `sites`.
  //! `through_breaker`: as for GetOne.
  boost::asio::awaitable<std::vector<SiteCall>> Get(
      const std::vector<Site*>& sites, const std::function<std::string(const Site&)>& target_of,
      const core::CallContext& call, bool through_breaker = true,
      AnswerForm form = AnswerForm::kParsed);

  //! GET `target` on one site. `through_breaker` false: the call is made even when the circuit
  //! is open (the health poller's probe), and still counts for the breaker.
  boost::asio::awaitable<SiteCall> GetOne(Site& site, std::string target,
                                          const core::CallContext& call,
                                          bool through_breaker = true,
                                          AnswerForm form = AnswerForm::kParsed);

  const FanOutOptions& options() const { return options_; }

 private:
  boost::asio::awaitable<std::vector<SiteCall>> Join(std::vector<Site*> sites,
                                                     std::vector<std::string> targets,
                                                     core::CallContext call, bool through_breaker,
                                                     AnswerForm form);
  SiteCall Classify(Site& site, http::HttpResult result, AnswerForm form) const;
  void Count(const SiteCall& call) const;

  SiteClients& clients_;
  const FanOutOptions options_;
  metrics::ScopedFamily<metrics::Histogram> latency_;
  metrics::ScopedFamily<metrics::Counter> calls_;
};

}  // namespace dataplane::central_api
