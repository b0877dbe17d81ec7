#include "loadgen/loadgen.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>

#include "core/time.h"
#include "http/client.h"
#include "http/retry_after.h"
#include "loadgen/event_generator.h"

namespace dataplane::loadgen {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

constexpr int kMax503Retries = 5;
constexpr auto kMaxRetryAfter = std::chrono::seconds(5);
constexpr auto kRequestTimeout = std::chrono::seconds(10);
constexpr auto kDemoTimeout = std::chrono::seconds(1);

std::uint64_t RandomSeed() {
  std::random_device device;
  return (std::uint64_t{device()} << 32) ^ device() ^ static_cast<std::uint64_t>(core::NowMicros());
}

// The Retry-After delay of a 503 (1 s when absent or unreadable), capped.
Clock::duration RetryAfter(const http::HttpReply& reply) {
  return http::RetryAfterDelay(reply.Header("retry-after"), std::chrono::seconds(1),
                               kMaxRetryAfter);
}

http::HttpClient Client(const http::HttpTarget& target, std::chrono::milliseconds timeout) {
  http::HttpClientOptions options;
  options.timeout = timeout;
  return http::HttpClient(target, options);
}

// A POST of events. Every event carries an idempotency key that the server deduplicates on (a
// second copy is answered as a duplicate), so the request is marked idempotent: it may be
// resent when it meets a kept-alive connection the server has closed.
http::ClientRequest EventPost(const std::string& path, std::string body) {
  http::ClientRequest request;
  request.method = "POST";
  request.target = path;
  request.body = std::move(body);
  request.idempotent = true;
  return request;
}

std::uint64_t Count(const json::object& o, std::string_view key, std::uint64_t fallback) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return fallback;
  if (v->is_int64() && v->as_int64() >= 0) return static_cast<std::uint64_t>(v->as_int64());
  if (v->is_uint64()) return v->as_uint64();
  return fallback;
}

// Counters shared by the worker threads; merged latencies are guarded by `mu`.
struct Totals {
  std::atomic<std::uint64_t> requests{0}, events{0}, ok{0}, duplicates{0}, rejected{0};
  std::atomic<std::uint64_t> errors{0}, unavailable{0};
  std::atomic<bool> reported_transport{false}, reported_rejected{false}, reported_status{false};
  std::mutex mu;
  std::vector<double> latencies_ms;  // guarded by mu
};

class Worker {
 public:
  Worker(const LoadgenOptions& options, const http::HttpTarget& target, std::uint64_t seed,
         Clock::time_point deadline, const std::atomic<bool>* stop, Totals& totals)
      : options_(options),
        client_(Client(target, kRequestTimeout)),
        generator_(options.sites, seed),
        path_(options.batch > 0 ? "/v1/events/batch" : "/v1/event"),
        deadline_(deadline),
        stop_(stop),
        totals_(totals) {}

  void Run() {
    const int connections = std::max(1, options_.connections);
    const auto interval = options_.rate > 0
                              ? std::chrono::duration_cast<Clock::duration>(
                                    std::chrono::duration<double>(connections / options_.rate))
                              : Clock::duration::zero();
    auto next = Clock::now();
    while (!Stopping()) {
      if (interval > Clock::duration::zero()) {
        if (!SleepUntil(next)) break;
        next += interval;
        // After a stall, resume the pace instead of bursting to catch up.
        if (next < Clock::now() - std::chrono::seconds(1)) next = Clock::now();
      }
      const std::size_t n = options_.batch > 0 ? options_.batch : 1;
      const std::string body = options_.batch > 0 ? generator_.NextBatch(n) : generator_.Next();
      totals_.events += n;
      Send(body, n);
    }
    std::lock_guard lock(totals_.mu);
    totals_.latencies_ms.insert(totals_.latencies_ms.end(), latencies_ms_.begin(),
                                latencies_ms_.end());
  }

 private:
  bool Stopping() const { return (stop_ != nullptr && stop_->load()) || Clock::now() >= deadline_; }

  // Sleeps in short slices; false when stopping before `until`.
  bool SleepUntil(Clock::time_point until) {
    for (;;) {
      if (Stopping()) return false;
      const auto now = Clock::now();
      if (now >= until) return true;
      std::this_thread::sleep_for(
          std::min<Clock::duration>(until - now, std::chrono::milliseconds(50)));
    }
  }

  void Report(std::atomic<bool>& once, const std::string& message) {
    if (!options_.quiet && !once.exchange(true))
      std::fprintf(stderr, "loadgen: %s\n", message.c_str());
  }

  void Send(const std::string& body, std::size_t n) {
    for (int attempt = 0;; ++attempt) {
      const auto start = Clock::now();
      auto reply = client_.Request(EventPost(path_, body));
      ++totals_.requests;
      if (!reply.ok()) {
        ++totals_.errors;
        Report(totals_.reported_transport, reply.error().message);
        SleepUntil(Clock::now() + std::chrono::milliseconds(100));  // don't spin on a dead server
        return;
      }
      latencies_ms_.push_back(
          std::chrono::duration<double, std::milli>(Clock::now() - start).count());
      if (reply->status == 503) {
        ++totals_.unavailable;
        if (attempt == kMax503Retries || !SleepUntil(Clock::now() + RetryAfter(*reply))) {
          ++totals_.errors;
          return;
        }
        continue;
      }
      if (reply->status == 200) return Accepted(reply->body, n);
      if (reply->status >= 400 && reply->status < 500) {
        totals_.rejected += n;
        Report(totals_.reported_rejected,
               "HTTP " + std::to_string(reply->status) + ": " + reply->body);
      } else {
        ++totals_.errors;
        Report(totals_.reported_status,
               "HTTP " + std::to_string(reply->status) + ": " + reply->body);
      }
      return;
    }
  }

  void Accepted(const std::string& body, std::size_t n) {
    boost::system::error_code ec;
    const json::value v = json::parse(body, ec);
    const json::object* o = ec ? nullptr : v.if_object();
    if (o == nullptr) {
      totals_.ok += n;  // a 200 is an acknowledgement even when its body is unexpected
      return;
    }
    if (options_.batch == 0) {
      const json::value* status = o->if_contains("status");
      const bool duplicate =
          status != nullptr && status->is_string() && status->get_string() == "duplicate";
      ++(duplicate ? totals_.duplicates : totals_.ok);
      return;
    }
    totals_.ok += Count(*o, "inserted", n);
    totals_.duplicates += Count(*o, "duplicates", 0);
    const std::uint64_t rejected = Count(*o, "rejected", 0);
    totals_.rejected += rejected;
    if (rejected > 0)
      Report(totals_.reported_rejected, "batch items rejected: " + body.substr(0, 500));
  }

  const LoadgenOptions& options_;
  http::HttpClient client_;
  EventGenerator generator_;
  const std::string path_;
  const Clock::time_point deadline_;
  const std::atomic<bool>* stop_;
  Totals& totals_;
  std::vector<double> latencies_ms_;
};

double Percentile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

void PrintProgress(const Totals& t, double elapsed_s) {
  std::fprintf(stderr,
               "%7.1fs  requests %llu  events %llu  ok %llu  dup %llu  rejected %llu  errors %llu"
               "  503 %llu\n",
               elapsed_s, static_cast<unsigned long long>(t.requests.load()),
               static_cast<unsigned long long>(t.events.load()),
               static_cast<unsigned long long>(t.ok.load()),
               static_cast<unsigned long long>(t.duplicates.load()),
               static_cast<unsigned long long>(t.rejected.load()),
               static_cast<unsigned long long>(t.errors.load()),
               static_cast<unsigned long long>(t.unavailable.load()));
}

}  // namespace

LoadgenReport RunLoadgen(const LoadgenOptions& options, const std::atomic<bool>* stop) {
  auto target = http::ParseHttpUrl(options.url);
  if (!target.ok()) throw core::Failure(target.error());
  const int connections = std::max(1, options.connections);
  const auto start = Clock::now();
  const auto deadline = options.duration_s > 0
                            ? start + std::chrono::duration_cast<Clock::duration>(
                                          std::chrono::duration<double>(options.duration_s))
                            : Clock::time_point::max();
  const std::uint64_t seed = RandomSeed();
  Totals totals;
  std::atomic<int> running{connections};
  std::vector<std::thread> threads;
  for (int i = 0; i < connections; ++i) {
    threads.emplace_back([&, i] {
      Worker(options, *target, seed + 0x9e3779b97f4a7c15ull * static_cast<std::uint64_t>(i + 1),
             deadline, stop, totals)
          .Run();
      --running;
    });
  }
  auto next_progress = start + std::chrono::seconds(1);
  while (running.load() > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (!options.quiet && Clock::now() >= next_progress) {
      PrintProgress(totals, std::chrono::duration<double>(Clock::now() - start).count());
      next_progress += std::chrono::seconds(1);
    }
  }
  for (auto& t : threads) t.join();

  LoadgenReport report;
  report.elapsed_s = std::chrono::duration<double>(Clock::now() - start).count();
  report.requests = totals.requests;
  report.events = totals.events;
  report.ok = totals.ok;
  report.duplicates = totals.duplicates;
  report.rejected = totals.rejected;
  report.errors = totals.errors;
  report.unavailable = totals.unavailable;
  std::sort(totals.latencies_ms.begin(), totals.latencies_ms.end());
  report.p50_ms = Percentile(totals.latencies_ms, 0.50);
  report.p99_ms = Percentile(totals.latencies_ms, 0.99);
  report.max_ms = totals.latencies_ms.empty() ? 0 : totals.latencies_ms.back();
  return report;
}

std::string FormatReport(const LoadgenReport& r) {
  const double secs = r.elapsed_s > 0 ? r.elapsed_s : 1;
  std::string out;
  char line[160];
  auto row = [&](const char* name, std::uint64_t value, bool rate) {
    if (rate) {
      std::snprintf(line, sizeof line, "  %-12s %12llu   %10.1f/s\n", name,
                    static_cast<unsigned long long>(value), static_cast<double>(value) / secs);
    } else {
      std::snprintf(line, sizeof line, "  %-12s %12llu\n", name,
                    static_cast<unsigned long long>(value));
    }
    out += line;
  };
  std::snprintf(line, sizeof line, "loadgen: %.1f s\n", r.elapsed_s);
  out += line;
  row("requests", r.requests, true);
  row("events", r.events, true);
  row("inserted", r.ok, true);
  row("duplicates", r.duplicates, false);
  row("rejected", r.rejected, false);
  row("errors", r.errors, false);
  row("503 retried", r.unavailable, false);
  std::snprintf(line, sizeof line, "  %-12s p50 %.2f ms   p99 %.2f ms   max %.2f ms\n", "latency",
                r.p50_ms, r.p99_ms, r.max_ms);
  out += line;
  return out;
}

DemoWorkload::DemoWorkload(std::string url, std::vector<std::string> sites,
                           double events_per_second)
    : url_(std::move(url)),
      sites_(std::move(sites)),
      events_per_second_(events_per_second > 0 ? events_per_second : 1) {}

DemoWorkload::~DemoWorkload() { Stop(); }

void DemoWorkload::Start() {
  if (thread_.joinable()) return;
  auto target = http::ParseHttpUrl(url_);
  if (!target.ok()) throw core::Failure(target.error());
  {
    std::lock_guard lock(mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this, t = std::move(*target)] { Run(t); });
}

void DemoWorkload::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DemoWorkload::Run(http::HttpTarget target) {
  http::HttpClient client = Client(target, kDemoTimeout);
  EventGenerator generator(sites_, RandomSeed());
  const std::string path = "/v1/event";
  const auto interval = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(1.0 / events_per_second_));
  const Clock::duration min_backoff = std::chrono::milliseconds(500);
  Clock::duration backoff = min_backoff;
  std::string pending;  // retried until the server answers it
  auto next = Clock::now();
  for (;;) {
    {
      std::unique_lock lock(mu_);
      if (cv_.wait_until(lock, next, [this] { return stopping_; })) return;
    }
    if (pending.empty()) pending = generator.Next();
    auto reply = client.Request(EventPost(path, pending));
    const bool retry =
        !reply.ok() || reply->status == 503 || reply->status == 429 || reply->status >= 500;
    if (retry) {
      next = Clock::now() + (reply.ok() && reply->status == 503 ? RetryAfter(*reply) : backoff);
      backoff = std::min<Clock::duration>(backoff * 2, kMaxRetryAfter);
      continue;
    }
    if (reply->status == 200) ++delivered_;
    pending.clear();  // acknowledged, or refused for good (4xx): move on
    backoff = min_backoff;
    next += interval;
    if (next < Clock::now()) next = Clock::now();
  }
}

}  // namespace dataplane::loadgen
