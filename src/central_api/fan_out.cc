#include "central_api/fan_out.h"

#include <algorithm>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/json_parse.h"
#include "core/time.h"

namespace dataplane::central_api {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

double MillisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

// The site's own explanation of an error answer ({"error": "..."}), else its status line.
std::string ErrorMessage(int status, const json::value& body) {
  if (const json::object* object = body.if_object()) {
    if (const json::value* error = object->if_contains("error"); error && error->is_string()) {
      return "HTTP " + std::to_string(status) + ": " + std::string(error->get_string());
    }
  }
  return "HTTP " + std::to_string(status);
}

std::chrono::milliseconds TimeoutFor(std::chrono::milliseconds site_timeout,
                                     const core::CallContext& call) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      call.deadline - core::CallContext::Clock::now());
  return std::clamp(left, std::chrono::milliseconds(1), site_timeout);
}

}  // namespace

std::string_view ToString(SiteCallStatus status) {
  switch (status) {
    case SiteCallStatus::kOk:
      return "ok";
    case SiteCallStatus::kError:
      return "error";
    case SiteCallStatus::kBadAnswer:
      return "bad_answer";
    case SiteCallStatus::kTimeout:
      return "timeout";
    case SiteCallStatus::kUnreachable:
      return "unreachable";
    case SiteCallStatus::kCircuitOpen:
      return "circuit_open";
  }
  return "error";
}

FanOut::FanOut(SiteClients& clients, FanOutOptions options, const metrics::Scope& metrics)
    : clients_(clients),
      options_(std::move(options)),
      latency_(
          metrics.AddHistogram("dataplane_site_request_duration_seconds",
                               "Time of the Central API's calls to each site, answered or not.",
                               {"site"}, metrics::DefaultLatencyBuckets())),
      calls_(metrics.AddCounter("dataplane_site_requests_total",
                                "The Central API's calls to each site, by outcome (ok, error, "
                                "bad_answer, timeout, unreachable, circuit_open).",
                                {"site", "outcome"})) {}

asio::awaitable<std::vector<SiteCall>> FanOut::Get(
    const std::vector<Site*>& sites, const std::function<std::string(const Site&)>& target_of,
    const core::CallContext& call, bool through_breaker, AnswerForm form) {
  if (sites.empty()) co_return std::vector<SiteCall>{};
  std::vector<std::string> targets;
  for (Site* site : sites) targets.push_back(target_of(*site));
  // The calls and their join run on a strand of their own, so that the join's check of what is
  // left and its wait cannot interleave with a call completing on another thread.
  auto strand = asio::make_strand(co_await asio::this_coro::executor);
  co_return co_await asio::co_spawn(
      strand, Join(sites, std::move(targets), call, through_breaker, form), asio::use_awaitable);
}

asio::awaitable<std::vector<SiteCall>> FanOut::Join(std::vector<Site*> sites,
                                                    std::vector<std::string> targets,
                                                    core::CallContext call, bool through_breaker,
                                                    AnswerForm form) {
  struct State {
    std::vector<SiteCall> calls;
    std::size_t remaining;
    asio::steady_timer all_done;  // cancelled by the last call to complete
  };
  const auto strand = co_await asio::this_coro::executor;
  auto state = std::make_shared<State>(
      State{{}, sites.size(), asio::steady_timer(strand, asio::steady_timer::time_point::max())});
  state->calls.resize(sites.size());
  for (std::size_t i = 0; i < sites.size(); ++i) {
    asio::co_spawn(strand, GetOne(*sites[i], std::move(targets[i]), call, through_breaker, form),
                   [state, i, site = sites[i]](std::exception_ptr failed, SiteCall answer) {
                     if (failed) {  // GetOne does not throw; should it, the site is reported
                       answer.site = site;
                       answer.site_id = site->Id();
                       answer.status = SiteCallStatus::kUnreachable;
                       answer.message = "internal error calling the site";
                     }
                     state->calls[i] = std::move(answer);
                     if (--state->remaining == 0) state->all_done.cancel();
                   });
  }
  while (state->remaining > 0) {
    boost::system::error_code ignored;
    co_await state->all_done.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  co_return std::move(state->calls);
}

asio::awaitable<SiteCall> FanOut::GetOne(Site& site, std::string target,
                                         const core::CallContext& call, bool through_breaker,
                                         AnswerForm form) {
  const auto started = std::chrono::steady_clock::now();
  if (through_breaker && !site.breaker().Allow(started)) {
    SiteCall skipped;
    skipped.site = &site;
    skipped.site_id = site.Id();
    skipped.status = SiteCallStatus::kCircuitOpen;
    skipped.message = "skipped: the site failed repeatedly (circuit open)";
    Count(skipped);
    co_return skipped;
  }
  http::ClientRequest request;
  request.target = std::move(target);
  request.timeout = TimeoutFor(options_.site_timeout, call);
  request.headers.emplace_back("traceparent", call.trace.Traceparent());
  request.headers.emplace_back("accept", "application/json");
  if (!options_.site_token.empty()) {
    request.headers.emplace_back("authorization", "Bearer " + options_.site_token);
  }
  http::AsyncHttpClient& client = clients_.For(co_await asio::this_coro::executor);
  http::HttpResult result = co_await client.Request(site.entry().target, std::move(request));
  SiteCall answer = Classify(site, std::move(result), form);
  answer.latency_ms = MillisSince(started);
  if (answer.ok() || (answer.status == SiteCallStatus::kError && answer.http_status < 500)) {
    site.breaker().RecordSuccess();
  } else {
    site.breaker().RecordFailure(std::chrono::steady_clock::now());
  }
  Count(answer);
  co_return answer;
}

SiteCall FanOut::Classify(Site& site, http::HttpResult result, AnswerForm form) const {
  SiteCall answer;
  answer.site = &site;
  answer.site_id = site.Id();
  if (!result) {
    const core::Error& error = result.error();
    answer.status = error.code == "timeout"              ? SiteCallStatus::kTimeout
                    : error.code == "response_too_large" ? SiteCallStatus::kBadAnswer
                                                         : SiteCallStatus::kUnreachable;
    answer.message = error.message;
    return answer;
  }
  answer.as_of = core::NowMicros();
  answer.http_status = result->status;
  if (result->status == 200 && form == AnswerForm::kText) {
    answer.status = SiteCallStatus::kOk;
    answer.text = std::move(result->body);
    return answer;
  }
  auto body = core::ParseJson(result->body, kMaxSiteAnswerDepth);
  if (result->status != 200) {
    answer.status = SiteCallStatus::kError;
    if (body) answer.body = std::move(*body);
    answer.message = ErrorMessage(result->status, answer.body);
    return answer;
  }
  if (!body || !body->is_object()) {
    answer.status = SiteCallStatus::kBadAnswer;
    answer.message = body ? "the answer is not a JSON object"
                          : "the answer is not JSON: " + body.error().message;
    return answer;
  }
  answer.status = SiteCallStatus::kOk;
  answer.body = std::move(*body);
  return answer;
}

void FanOut::Count(const SiteCall& call) const {
  latency_.WithLabels({call.site_id}).Observe(call.latency_ms / 1000.0);
  calls_.WithLabels({call.site_id, ToString(call.status)}).Inc();
}

}  // namespace dataplane::central_api
