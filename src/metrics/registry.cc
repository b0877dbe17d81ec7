#include "metrics/registry.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <type_traits>

#include "metrics/process_metrics.h"

namespace dataplane::metrics {
namespace {

static_assert(std::atomic<double>::is_always_lock_free);
static_assert(std::atomic<std::uint64_t>::is_always_lock_free);

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// [a-zA-Z_:][a-zA-Z0-9_:]*
bool IsMetricName(std::string_view name) {
  if (name.empty() || IsAsciiDigit(name[0])) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return IsAsciiLetter(c) || IsAsciiDigit(c) || c == '_' || c == ':';
  });
}

// [a-zA-Z_][a-zA-Z0-9_]*, and not "__..." (reserved for Prometheus itself).
bool IsLabelName(std::string_view name) {
  if (name.empty() || IsAsciiDigit(name[0]) || name.starts_with("__")) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return IsAsciiLetter(c) || IsAsciiDigit(c) || c == '_'; });
}

[[noreturn]] void Invalid(const std::string& name, const std::string& why) {
  throw std::invalid_argument("metric \"" + name + "\": " + why);
}

void ValidateFamily(const std::string& name, const std::string& help,
                    const std::vector<std::string>& label_names) {
  if (!IsMetricName(name)) Invalid(name, "invalid metric name");
  if (help.empty()) Invalid(name, "empty HELP text");
  std::set<std::string_view> seen;
  for (const std::string& label : label_names) {
    if (!IsLabelName(label)) Invalid(name, "invalid label name \"" + label + "\"");
    if (!seen.insert(label).second) Invalid(name, "duplicate label name \"" + label + "\"");
  }
}

// Label values escape backslash, double quote and newline; HELP text only backslash and newline.
void AppendEscaped(std::string& out, std::string_view text, bool quote) {
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out.push_back(c);
    }
  }
}

// name+suffix{label="value",...,le="le"} value
void AppendSample(std::string& out, std::string_view name, std::string_view suffix,
                  const std::vector<std::string>& label_names,
                  const std::vector<std::string>& label_values, std::string_view le, double value) {
  out.append(name).append(suffix);
  if (!label_names.empty() || !le.empty()) {
    out.push_back('{');
    for (std::size_t i = 0; i < label_names.size(); ++i) {
      if (i > 0) out.push_back(',');
      out.append(label_names[i]).append("=\"");
      AppendEscaped(out, label_values[i], /*quote=*/true);
      out.push_back('"');
    }
    if (!le.empty()) {
      if (!label_names.empty()) out.push_back(',');
      out.append("le=\"").append(le).push_back('"');
    }
    out.push_back('}');
  }
  out.push_back(' ');
  detail::AppendNumber(out, value);
  out.push_back('\n');
}

void AppendChild(std::string& out, std::string_view name, const std::vector<std::string>& names,
                 const std::vector<std::string>& values, const Counter& child) {
  AppendSample(out, name, "", names, values, "", child.Value());
}

void AppendChild(std::string& out, std::string_view name, const std::vector<std::string>& names,
                 const std::vector<std::string>& values, const Gauge& child) {
  AppendSample(out, name, "", names, values, "", child.Value());
}

void AppendChild(std::string& out, std::string_view name, const std::vector<std::string>& names,
                 const std::vector<std::string>& values, const Histogram& child) {
  std::vector<std::uint64_t> counts = child.CumulativeCounts();
  const std::vector<double>& bounds = child.UpperBounds();
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    std::string le;
    detail::AppendNumber(le, bounds[i]);
    AppendSample(out, name, "_bucket", names, values, le, static_cast<double>(counts[i]));
  }
  AppendSample(out, name, "_bucket", names, values, "+Inf", static_cast<double>(counts.back()));
  AppendSample(out, name, "_sum", names, values, "", child.Sum());
  AppendSample(out, name, "_count", names, values, "", static_cast<double>(counts.back()));
}

template <typename Metric>
constexpr std::string_view kTypeName = std::is_same_v<Metric, Counter> ? "counter"
                                       : std::is_same_v<Metric, Gauge> ? "gauge"
                                                                       : "histogram";

}  // namespace

namespace detail {

void AppendNumber(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);  // shortest round-trip
    out.append(buf, end);
  }
}

void AppendHeader(std::string& out, std::string_view name, std::string_view help,
                  std::string_view type) {
  out.append("# HELP ").append(name).push_back(' ');
  AppendEscaped(out, help, /*quote=*/false);
  out.append("\n# TYPE ").append(name).append(" ").append(type).push_back('\n');
}

}  // namespace detail

void Counter::Inc(double v) {
  if (!(v >= 0)) return;
  value_.fetch_add(v, std::memory_order_relaxed);
}
double Counter::Value() const { return value_.load(std::memory_order_relaxed); }

void Gauge::Set(double v) { value_.store(v, std::memory_order_relaxed); }
void Gauge::Add(double v) { value_.fetch_add(v, std::memory_order_relaxed); }
double Gauge::Value() const { return value_.load(std::memory_order_relaxed); }

Histogram::Histogram(std::vector<double> upper_bounds)
    : upper_bounds_(std::move(upper_bounds)), buckets_(upper_bounds_.size() + 1) {}

void Histogram::Observe(double v) {
  std::size_t i = std::isnan(v)
                      ? upper_bounds_.size()
                      : static_cast<std::size_t>(
                            std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), v) -
                            upper_bounds_.begin());
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
}

std::uint64_t Histogram::Count() const {
  std::uint64_t total = 0;
  for (const auto& bucket : buckets_) total += bucket.load(std::memory_order_relaxed);
  return total;
}
double Histogram::Sum() const { return sum_.load(std::memory_order_relaxed); }

std::vector<std::uint64_t> Histogram::CumulativeCounts() const {
  std::vector<std::uint64_t> counts;
  counts.reserve(buckets_.size());
  std::uint64_t total = 0;
  for (const auto& bucket : buckets_) {
    total += bucket.load(std::memory_order_relaxed);
    counts.push_back(total);
  }
  return counts;
}

template <typename Metric>
Family<Metric>::Family(std::string name, std::string help, std::vector<std::string> label_names,
                       std::vector<double> bucket_upper_bounds)
    : name_(std::move(name)),
      help_(std::move(help)),
      label_names_(std::move(label_names)),
      bucket_upper_bounds_(std::move(bucket_upper_bounds)) {
  if (label_names_.empty()) WithLabels(std::vector<std::string>{});
}

template <typename Metric>
Metric& Family<Metric>::WithLabels(const std::vector<std::string>& label_values) {
  if (label_values.size() != label_names_.size()) {
    Invalid(name_, "expected " + std::to_string(label_names_.size()) + " label values, got " +
                       std::to_string(label_values.size()));
  }
  std::lock_guard lock(mu_);
  auto it = children_.find(label_values);
  if (it == children_.end()) {
    std::unique_ptr<Metric> child;
    if constexpr (std::is_same_v<Metric, Histogram>) {
      child = std::make_unique<Histogram>(bucket_upper_bounds_);
    } else {
      child = std::make_unique<Metric>();
    }
    it = children_.emplace(label_values, std::move(child)).first;
  }
  return *it->second;
}

template <typename Metric>
Metric& Family<Metric>::WithLabels(std::initializer_list<std::string_view> label_values) {
  return WithLabels(std::vector<std::string>(label_values.begin(), label_values.end()));
}

template <typename Metric>
void Family<Metric>::AppendTo(std::string& out) const {
  std::lock_guard lock(mu_);
  if (children_.empty()) return;
  detail::AppendHeader(out, name_, help_, kTypeName<Metric>);
  for (const auto& [values, child] : children_)
    AppendChild(out, name_, label_names_, values, *child);
}

template <typename Metric>
std::string Family<Metric>::Signature() const {
  std::string signature(kTypeName<Metric>);
  signature.append("\n").append(help_);
  for (const std::string& label : label_names_) signature.append("\n").append(label);
  for (double bound : bucket_upper_bounds_) {
    signature.append("\n");
    detail::AppendNumber(signature, bound);
  }
  return signature;
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

MetricsRegistry::MetricsRegistry() {
  for (std::string_view name : ProcessMetricNames()) taken_names_.emplace(name);
}

Family<Counter>& MetricsRegistry::AddCounter(std::string name, std::string help,
                                             std::vector<std::string> label_names) {
  ValidateFamily(name, help, label_names);
  if (!name.ends_with("_total") || name.size() == 6)
    Invalid(name, "counter name must end in _total");
  std::vector<std::string> exposed{name};
  return Register(std::make_unique<Family<Counter>>(name, std::move(help), std::move(label_names)),
                  name, exposed);
}

Family<Gauge>& MetricsRegistry::AddGauge(std::string name, std::string help,
                                         std::vector<std::string> label_names) {
  ValidateFamily(name, help, label_names);
  std::vector<std::string> exposed{name};
  return Register(std::make_unique<Family<Gauge>>(name, std::move(help), std::move(label_names)),
                  name, exposed);
}

Family<Histogram>& MetricsRegistry::AddHistogram(std::string name, std::string help,
                                                 std::vector<std::string> label_names,
                                                 std::vector<double> bucket_upper_bounds) {
  ValidateFamily(name, help, label_names);
  if (std::find(label_names.begin(), label_names.end(), "le") != label_names.end()) {
    Invalid(name, "a histogram cannot have a label \"le\"");
  }
  if (!bucket_upper_bounds.empty() && std::isinf(bucket_upper_bounds.back()) &&
      bucket_upper_bounds.back() > 0) {
    bucket_upper_bounds.pop_back();
  }
  for (std::size_t i = 0; i < bucket_upper_bounds.size(); ++i) {
    if (!std::isfinite(bucket_upper_bounds[i])) Invalid(name, "bucket bounds must be finite");
    if (i > 0 && !(bucket_upper_bounds[i - 1] < bucket_upper_bounds[i])) {
      Invalid(name, "bucket bounds must be strictly increasing");
    }
  }
  std::vector<std::string> exposed{name, name + "_bucket", name + "_sum", name + "_count"};
  return Register(std::make_unique<Family<Histogram>>(name, std::move(help), std::move(label_names),
                                                      std::move(bucket_upper_bounds)),
                  name, exposed);
}

template <typename Metric>
Family<Metric>& MetricsRegistry::Register(std::unique_ptr<Family<Metric>> family,
                                          const std::string& name,
                                          const std::vector<std::string>& exposed_names) {
  std::lock_guard lock(mu_);
  if (auto it = by_name_.find(name); it != by_name_.end()) {
    auto* same = dynamic_cast<Family<Metric>*>(it->second);
    if (same == nullptr || same->Signature() != family->Signature()) {
      Invalid(name, "already registered with another type, HELP, labels or buckets");
    }
    return *same;
  }
  for (const std::string& exposed : exposed_names) {
    if (taken_names_.contains(exposed)) Invalid(exposed, "name already registered");
  }
  taken_names_.insert(exposed_names.begin(), exposed_names.end());
  Family<Metric>& registered = *family;
  by_name_.emplace(name, &registered);
  families_.push_back(std::move(family));
  return registered;
}

std::string MetricsRegistry::Serialize() const {
  std::string out;
  {
    std::lock_guard lock(mu_);
    for (const auto& family : families_) family->AppendTo(out);
  }
  AppendProcessMetrics(out);
  return out;
}

std::vector<double> DefaultLatencyBuckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

}  // namespace dataplane::metrics
