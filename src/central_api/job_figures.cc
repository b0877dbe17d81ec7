#include "central_api/job_figures.h"

#include <algorithm>

namespace dataplane::central_api {
namespace json = boost::json;

namespace {

std::optional<double> Extreme(std::optional<double> a, std::optional<double> b, bool max) {
  if (!a) return b;
  if (!b) return a;
  return max ? std::max(*a, *b) : std::min(*a, *b);
}

json::value OrNull(std::optional<double> v) { return v ? json::value(*v) : json::value(nullptr); }

json::value Ratio(double numerator, std::int64_t denominator) {
  return denominator == 0 ? json::value(nullptr) : json::value(numerator / denominator);
}

// Reads the members of a mergeable item; the first problem is kept in `error`.
class ItemReader {
 public:
  explicit ItemReader(const json::object& item) : item_(item) {}

  const json::object* Object(std::string_view key) {
    const json::value* v = item_.if_contains(key);
    if (v && v->is_object()) return &v->get_object();
    Fail(std::string(key) + " is not an object");
    return nullptr;
  }
  std::int64_t Count(const json::object* in, std::string_view key) {
    const json::value* v = in ? in->if_contains(key) : nullptr;
    if (v && v->is_int64() && v->get_int64() >= 0) return v->get_int64();
    if (v && v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
    Fail(std::string(key) + " is not a count");
    return 0;
  }
  double Number(const json::object* in, std::string_view key) {
    return Optional(in, key).value_or(0);
  }
  std::optional<double> Optional(const json::object* in, std::string_view key) {
    const json::value* v = in ? in->if_contains(key) : nullptr;
    if (v && v->is_null()) return std::nullopt;
    if (v && v->is_number()) return v->to_number<double>();
    Fail(std::string(key) + " is not a number");
    return std::nullopt;
  }
  void Fail(std::string why) {
    if (!error) error = core::Error::Invalid("bad_stats_item", "", "stats item: " + why);
  }
  const json::object& item() const { return item_; }
  std::optional<core::Error> error;

 private:
  const json::object& item_;
};

}  // namespace

void JobFigures::Merge(const JobFigures& o) {
  job_count += o.job_count;
  succeeded += o.succeeded;
  failed += o.failed;
  canceled += o.canceled;
  duration_count += o.duration_count;
  duration_sum += o.duration_sum;
  duration_min = Extreme(duration_min, o.duration_min, false);
  duration_max = Extreme(duration_max, o.duration_max, true);
  duration_histogram.Merge(o.duration_histogram);
  cpu_count += o.cpu_count;
  cpu_sum += o.cpu_sum;
  mem_count += o.mem_count;
  mem_sum += o.mem_sum;
  mem_max = Extreme(mem_max, o.mem_max, true);
}

core::Result<JobFigures> JobFigures::FromMergeableItem(const json::object& item) {
  ItemReader r(item);
  JobFigures f;
  f.job_count = r.Count(&item, "job_count");
  f.succeeded = r.Count(&item, "succeeded_count");
  f.failed = r.Count(&item, "failed_count");
  f.canceled = r.Count(&item, "canceled_count");
  const json::object* duration = r.Object("duration_s");
  f.duration_count = r.Count(duration, "count");
  f.duration_sum = r.Number(duration, "sum");
  f.duration_min = r.Optional(duration, "min");
  f.duration_max = r.Optional(duration, "max");
  const json::object* cpu = r.Object("cpu_s");
  f.cpu_count = r.Count(cpu, "count");
  f.cpu_sum = r.Number(cpu, "sum");
  const json::object* mem = r.Object("mem_mb");
  f.mem_count = r.Count(mem, "count");
  f.mem_sum = r.Number(mem, "sum");
  f.mem_max = r.Optional(mem, "max");
  if (r.error) return *r.error;
  const json::value* histogram = duration->if_contains("histogram");
  if (!histogram) return core::Error::Invalid("bad_stats_item", "", "stats item: no histogram");
  auto parsed = api::DurationHistogram::FromJson(*histogram);
  if (!parsed) return parsed.error();
  f.duration_histogram = std::move(*parsed);
  return f;
}

void JobFigures::WriteTo(json::object& out) const {
  out["job_count"] = job_count;
  out["succeeded_count"] = succeeded;
  out["failed_count"] = failed;
  out["canceled_count"] = canceled;
  out["running_count"] = job_count - succeeded - failed - canceled;
  out["success_rate"] = Ratio(static_cast<double>(succeeded), succeeded + failed + canceled);
  out["duration_s"] = {{"avg", Ratio(duration_sum, duration_count)},
                       {"min", OrNull(duration_min)},
                       {"p50", OrNull(duration_histogram.Percentile(0.5))},
                       {"p95", OrNull(duration_histogram.Percentile(0.95))},
                       {"max", OrNull(duration_max)},
                       {"count", duration_count}};
  out["cpu_s"] = {{"avg", Ratio(cpu_sum, cpu_count)}};
  out["mem_mb"] = {{"avg", Ratio(mem_sum, mem_count)}, {"max", OrNull(mem_max)}};
}

}  // namespace dataplane::central_api
