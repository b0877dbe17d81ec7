#include "loadgen/event_generator.h"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <string_view>

#include "core/time.h"

namespace dataplane::loadgen {
namespace {

namespace json = boost::json;

struct AppSpec {
  std::string_view name;
  std::string_view version;
  std::string_view tool_vendor;  // tool names look like "ASML-07"
  std::string_view metric;       // the app's own process metric, kept in the payload
  double metric_mean;
};

constexpr std::array<AppSpec, 8> kApps{{
    {"litho-scan", "1.4.2", "ASML", "overlay_nm", 2.5},
    {"etch-monitor", "2.0.1", "LAM", "etch_rate_nm_min", 180.0},
    {"cmp-polish", "3.1.0", "AMAT", "removal_rate_nm_min", 250.0},
    {"metrology-ovl", "1.9.7", "KLA", "overlay_3sigma_nm", 3.1},
    {"dep-cvd", "4.2.0", "AMAT", "film_thickness_nm", 120.0},
    {"wet-clean", "1.0.5", "SCREEN", "particle_count", 12.0},
    {"implant-dose", "2.3.3", "AXCELIS", "dose_e15_cm2", 4.0},
    {"defect-inspect", "5.0.2", "KLA", "defects_per_wafer", 7.0},
}};

constexpr std::array<std::string_view, 5> kFailureReasons{{
    "chamber pressure out of range",
    "wafer handler fault",
    "recipe step timeout",
    "vacuum leak detected",
    "metrology out of spec",
}};

constexpr std::size_t kJobsInFlightPerSite = 16;
constexpr std::size_t kMaxJobsInFlight = 64;

struct Site {
  std::string id;
  std::vector<std::size_t> apps;                // indices into kApps
  std::vector<std::vector<std::string>> tools;  // per entry of `apps`
};

enum class Outcome { kSucceeded, kFailed, kError, kCanceled };

enum class StepKind { kJobStarted, kJobProgress, kJobMetric, kSubStarted, kSubEnd, kJobEnd };

struct Step {
  StepKind kind;
  int wafer = 0;  // 1-based for subjob steps; wafers done so far for progress steps
};

struct Usage {
  double duration_s = 0, cpu_user_s = 0, cpu_system_s = 0, mem_max_mb = 0;
};

struct Job {
  std::size_t site = 0;
  std::size_t app = 0;  // index into kApps
  std::string id;
  std::string tool, recipe, lot;
  int wafers = 0;  // wafers processed; the last one fails or is canceled for such outcomes
  Outcome outcome = Outcome::kSucceeded;
  std::vector<Step> steps;
  std::size_t next = 0;
  std::vector<std::string> subjob_ids;  // index wafer-1
  Usage total;
};

double Round3(double x) { return std::round(x * 1000.0) / 1000.0; }

std::string TwoDigits(int n) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d", n);
  return buf;
}

std::uint64_t Fnv1a(std::string_view s) {
  std::uint64_t h = 14695981039346656037ull;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}

std::string AppId(std::string_view name) {
  std::mt19937_64 rng(Fnv1a(name));
  return core::FormatUuid(RandomUuidV4(rng));
}

}  // namespace

core::Uuid RandomUuidV4(std::mt19937_64& rng) {
  core::Uuid out{};
  const std::uint64_t hi = rng();
  const std::uint64_t lo = rng();
  for (int i = 0; i < 8; ++i) {
    out[i] = static_cast<std::uint8_t>(hi >> (56 - 8 * i));
    out[8 + i] = static_cast<std::uint8_t>(lo >> (56 - 8 * i));
  }
  out[6] = static_cast<std::uint8_t>((out[6] & 0x0f) | 0x40);  // version 4
  out[8] = static_cast<std::uint8_t>((out[8] & 0x3f) | 0x80);  // RFC 4122 variant
  return out;
}

struct EventGenerator::State {
  std::mt19937_64 rng;
  std::vector<Site> sites;
  std::vector<Job> in_flight;
  std::size_t target_in_flight = 0;
  std::uint64_t jobs_started = 0;
  core::Micros last_at = 0;
  std::array<std::string, kApps.size()> app_ids;

  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
  double Real(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); }
  double Normal(double mean, double sd) { return std::normal_distribution<double>(mean, sd)(rng); }
  std::string NewUuid() { return core::FormatUuid(RandomUuidV4(rng)); }

  void AddSite(std::string id) {
    Site site{std::move(id), {}, {}};
    std::vector<std::size_t> all(kApps.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    std::shuffle(all.begin(), all.end(), rng);
    all.resize(static_cast<std::size_t>(Uniform(4, 6)));
    for (std::size_t app : all) {
      std::vector<std::string> tools;
      const int count = Uniform(2, 4);
      for (int t = 0; t < count; ++t) {
        tools.push_back(std::string(kApps[app].tool_vendor) + "-" + TwoDigits(Uniform(1, 40)));
      }
      site.apps.push_back(app);
      site.tools.push_back(std::move(tools));
    }
    sites.push_back(std::move(site));
  }

  Job NewJob() {
    Job job;
    job.site = static_cast<std::size_t>(Uniform(0, static_cast<int>(sites.size()) - 1));
    const Site& site = sites[job.site];
    const auto pick = static_cast<std::size_t>(Uniform(0, static_cast<int>(site.apps.size()) - 1));
    job.app = site.apps[pick];
    const auto& tools = site.tools[pick];
    job.tool = tools[static_cast<std::size_t>(Uniform(0, static_cast<int>(tools.size()) - 1))];
    job.id = NewUuid();
    job.recipe = "R" + std::to_string(Uniform(1, 40));
    job.lot = "lot-" + std::to_string(Uniform(1000, 9999));
    const int roll = Uniform(1, 100);
    job.outcome = roll <= 85   ? Outcome::kSucceeded
                  : roll <= 90 ? Outcome::kFailed
                  : roll <= 95 ? Outcome::kError
                               : Outcome::kCanceled;
    const int planned = Uniform(1, 25);
    job.wafers = job.outcome == Outcome::kSucceeded ? planned : Uniform(1, planned);
    for (int w = 0; w < job.wafers; ++w) job.subjob_ids.push_back(NewUuid());
    PlanSteps(job);
    return job;
  }

  // started, per wafer subjob started/end, ~3 progress and 1–2 metric events, job end.
  void PlanSteps(Job& job) {
    job.steps.push_back({StepKind::kJobStarted});
    const int progress_every = std::max(1, (job.wafers + 2) / 3);
    const int metric_a = Uniform(1, job.wafers);
    const int metric_b = Uniform(0, 1) ? Uniform(1, job.wafers) : 0;
    for (int w = 1; w <= job.wafers; ++w) {
      job.steps.push_back({StepKind::kSubStarted, w});
      job.steps.push_back({StepKind::kSubEnd, w});
      if (w == metric_a || w == metric_b) job.steps.push_back({StepKind::kJobMetric, w});
      if (w % progress_every == 0 && w < job.wafers)
        job.steps.push_back({StepKind::kJobProgress, w});
    }
    job.steps.push_back({StepKind::kJobEnd});
  }

  json::object Metadata(const Job& job) {
    return {{"tool", job.tool}, {"recipe", job.recipe}, {"lot", job.lot}};
  }

  json::object UsageMetrics(const Usage& u) {
    return {{"duration_s", Round3(u.duration_s)},
            {"cpu_user_s", Round3(u.cpu_user_s)},
            {"cpu_system_s", Round3(u.cpu_system_s)},
            {"mem_max_mb", Round3(u.mem_max_mb)}};
  }

  Usage WaferUsage() {
    Usage u;
    u.duration_s = std::max(5.0, Normal(140.0, 40.0));
    u.cpu_user_s = u.duration_s * Real(0.3, 0.9);
    u.cpu_system_s = u.duration_s * Real(0.02, 0.1);
    u.mem_max_mb = Real(256.0, 4096.0);
    return u;
  }

  std::string Event(const Job& job, int wafer, std::string_view kind, std::string_view status,
                    json::object metrics, json::object metadata) {
    const AppSpec& app = kApps[job.app];
    json::object entity;
    if (wafer == 0) {
      entity = {{"type", "job"},
                {"id", job.id},
                {"parent_id", nullptr},
                {"business_key", job.lot},
                {"sub_key", nullptr}};
    } else {
      entity = {{"type", "subjob"},
                {"id", job.subjob_ids[static_cast<std::size_t>(wafer - 1)]},
                {"parent_id", job.id},
                {"business_key", job.lot},
                {"sub_key", "wafer-" + TwoDigits(wafer)}};
    }
    last_at = std::max(core::NowMicros(), last_at + 1);
    json::object event{{"kind", kind}, {"at", core::FormatRfc3339(last_at)}, {"status", status}};
    if (!metrics.empty()) event["metrics"] = std::move(metrics);
    event["metadata"] = std::move(metadata);
    json::object out{
        {"idempotency_key", NewUuid()},
        {"site_id", sites[job.site].id},
        {"app", {{"app_id", app_ids[job.app]}, {"name", app.name}, {"version", app.version}}},
    };
    out["entity"] = std::move(entity);
    out["event"] = std::move(event);
    return json::serialize(out);
  }

  std::string SubjobEnd(Job& job, int wafer) {
    const Usage u = WaferUsage();
    job.total.duration_s += u.duration_s;
    job.total.cpu_user_s += u.cpu_user_s;
    job.total.cpu_system_s += u.cpu_system_s;
    job.total.mem_max_mb = std::max(job.total.mem_max_mb, u.mem_max_mb);
    json::object metadata = Metadata(job);
    metadata["wafer"] = wafer;
    metadata["slot"] = wafer;
    const bool last = wafer == job.wafers;
    if (last && job.outcome == Outcome::kCanceled) {
      return Event(job, wafer, "canceled", "canceled", UsageMetrics(u), std::move(metadata));
    }
    const bool failed = last && (job.outcome == Outcome::kFailed || job.outcome == Outcome::kError);
    return Event(job, wafer, "finished", failed ? "failed" : "succeeded", UsageMetrics(u),
                 std::move(metadata));
  }

  std::string JobEnd(Job& job) {
    Usage u = job.total;
    u.duration_s += Real(5.0, 60.0);  // load, align, unload
    u.cpu_user_s += Real(0.5, 5.0);
    json::object metadata = Metadata(job);
    metadata["wafers"] = job.wafers;
    switch (job.outcome) {
      case Outcome::kSucceeded:
        return Event(job, 0, "finished", "succeeded", UsageMetrics(u), std::move(metadata));
      case Outcome::kFailed:
      case Outcome::kError:
        metadata["error"] = kFailureReasons[static_cast<std::size_t>(
            Uniform(0, static_cast<int>(kFailureReasons.size()) - 1))];
        return Event(job, 0, job.outcome == Outcome::kError ? "error" : "finished", "failed",
                     UsageMetrics(u), std::move(metadata));
      case Outcome::kCanceled:
        metadata["reason"] = "operator abort";
        return Event(job, 0, "canceled", "canceled", UsageMetrics(u), std::move(metadata));
    }
    return {};
  }

  std::string Render(Job& job, const Step& step) {
    switch (step.kind) {
      case StepKind::kJobStarted:
        return Event(job, 0, "started", "running", {}, Metadata(job));
      case StepKind::kJobProgress: {
        json::object metadata = Metadata(job);
        metadata["wafers_done"] = step.wafer;
        metadata["wafers_total"] = job.wafers;
        json::object metrics{{"progress_pct", Round3(100.0 * step.wafer / job.wafers)}};
        return Event(job, 0, "progress", "running", std::move(metrics), std::move(metadata));
      }
      case StepKind::kJobMetric: {
        const AppSpec& app = kApps[job.app];
        json::object metrics{
            {app.metric, Round3(std::max(0.0, Normal(app.metric_mean, app.metric_mean * 0.1)))},
            {"chamber_temp_c", Round3(Normal(45.0, 5.0))}};
        return Event(job, 0, "metric", "running", std::move(metrics), Metadata(job));
      }
      case StepKind::kSubStarted: {
        json::object metadata = Metadata(job);
        metadata["wafer"] = step.wafer;
        metadata["slot"] = step.wafer;
        return Event(job, step.wafer, "started", "running", {}, std::move(metadata));
      }
      case StepKind::kSubEnd:
        return SubjobEnd(job, step.wafer);
      case StepKind::kJobEnd:
        return JobEnd(job);
    }
    return {};
  }

  std::string Next() {
    while (in_flight.size() < target_in_flight) {
      in_flight.push_back(NewJob());
      ++jobs_started;
    }
    const auto i = static_cast<std::size_t>(Uniform(0, static_cast<int>(in_flight.size()) - 1));
    Job& job = in_flight[i];
    std::string event = Render(job, job.steps[job.next++]);
    if (job.next == job.steps.size()) {
      std::swap(in_flight[i], in_flight.back());
      in_flight.pop_back();
    }
    return event;
  }
};

EventGenerator::EventGenerator(std::vector<std::string> site_ids, std::uint64_t seed)
    : state_(std::make_unique<State>()) {
  if (site_ids.empty()) site_ids.push_back("fab1");
  state_->rng.seed(seed);
  for (std::size_t i = 0; i < kApps.size(); ++i) state_->app_ids[i] = AppId(kApps[i].name);
  for (auto& id : site_ids) state_->AddSite(std::move(id));
  state_->target_in_flight =
      std::min(kMaxJobsInFlight, kJobsInFlightPerSite * state_->sites.size());
}

EventGenerator::~EventGenerator() = default;
EventGenerator::EventGenerator(EventGenerator&&) noexcept = default;
EventGenerator& EventGenerator::operator=(EventGenerator&&) noexcept = default;

std::string EventGenerator::Next() { return state_->Next(); }

std::string EventGenerator::NextBatch(std::size_t n) {
  std::string out = "[";
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) out.push_back(',');
    out += state_->Next();
  }
  out.push_back(']');
  return out;
}

std::uint64_t EventGenerator::jobs_started() const { return state_->jobs_started; }

}  // namespace dataplane::loadgen
