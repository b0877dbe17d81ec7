#include "central_api/health_poller.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/log.h"
#include "core/time.h"

namespace dataplane::central_api {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

std::string StringField(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

// The facts of a health answer (200 or 503), which share one shape.
void ReadHealthAnswer(const json::object& body, SiteHealth& health) {
  health.version = StringField(body, "version");
  if (const json::value* db = body.if_contains("database"); db && db->is_object()) {
    const json::value* reachable = db->get_object().if_contains("reachable");
    health.database_reachable = reachable && reachable->is_bool() && reachable->get_bool();
    health.database_backend = StringField(db->get_object(), "backend");
  }
}

}  // namespace

HealthPoller::HealthPoller(SiteRegistry& sites, FanOut& fan_out, std::chrono::milliseconds interval,
                           const metrics::Scope& metrics)
    : sites_(sites),
      fan_out_(fan_out),
      interval_(interval),
      up_(metrics.AddGauge("dataplane_site_up",
                           "1 when the site's last health probe answered ok, else 0.", {"site"})),
      circuit_open_(metrics.AddGauge(
          "dataplane_site_circuit_open",
          "1 while the site's circuit breaker is open (calls skipped) or half-open.", {"site"})) {}

HealthPoller::~HealthPoller() { Stop(); }

asio::awaitable<void> HealthPoller::PollOnce() {
  std::vector<Site*> all;
  for (const auto& site : sites_.sites()) all.push_back(site.get());
  core::CallContext call;  // a background probe: no caller, a trace of its own
  call.trace = core::TraceContext::FromTraceparent("");
  const std::vector<SiteCall> probes = co_await fan_out_.Get(
      all, [](const Site&) { return std::string("/v1/healthz"); }, call,
      /*through_breaker=*/false);
  for (const SiteCall& probe : probes) Record(probe);
}

void HealthPoller::Record(const SiteCall& probe) {
  Site& site = *probe.site;
  SiteHealth health = site.Health();
  health.checked_at = core::NowMicros();
  health.latency_ms = probe.latency_ms;
  const json::object* body = probe.body.if_object();
  const bool answered = probe.ok() || (probe.http_status == 503 && body);
  if (answered) {
    health.status = probe.ok() ? "ok" : "degraded";
    health.message = probe.ok() ? "" : probe.message;
    health.last_ok_at = health.checked_at;
    health.consecutive_failures = 0;
    ReadHealthAnswer(*body, health);
    const std::string reported = StringField(*body, "site_id");
    if (!reported.empty() && !site.IdKnown() && !sites_.LearnId(site, reported)) {
      core::LogWarn("site reports an id another site has; it keeps its endpoint as id",
                    {{"site", site.Id()}, {"reported_id", reported}});
    }
  } else {
    health.status = "unreachable";
    health.message = std::string(ToString(probe.status)) + ": " + probe.message;
    ++health.consecutive_failures;
  }
  const std::string id = site.Id();
  up_.WithLabels({id}).Set(probe.ok() ? 1 : 0);
  circuit_open_.WithLabels({id}).Set(
      site.breaker().Get().state == CircuitBreaker::State::kClosed ? 0 : 1);
  site.SetHealth(std::move(health));
}

void HealthPoller::Start(asio::any_io_executor executor) {
  strand_ = asio::make_strand(executor);
  timer_ = std::make_unique<asio::steady_timer>(strand_);
  loop_done_ = finished_.get_future();
  asio::co_spawn(strand_, Loop(), asio::detached);
}

// Start() follows a first round (the service's start), so the loop waits before each round.
asio::awaitable<void> HealthPoller::Loop() {
  while (!stopping_) {
    timer_->expires_after(interval_);
    boost::system::error_code ignored;
    co_await timer_->async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    if (stopping_) break;
    co_await PollOnce();
  }
  finished_.set_value();
}

void HealthPoller::Stop() {
  if (!timer_ || stopping_.exchange(true)) return;
  asio::post(strand_, [this] { timer_->cancel(); });
  loop_done_.wait();
}

}  // namespace dataplane::central_api
