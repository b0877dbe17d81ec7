#pragma once
// A small Prometheus metrics registry: counters, gauges and histograms in labelled families,
// serialized in the text exposition format 0.0.4.
//
// Contract:
// - A MetricsRegistry owns its families; a Family owns its children. References returned by
//   Add*() and WithLabels() stay valid for the registry's lifetime and may be cached.
// - Concurrency: every method may be called from any thread. Add*() and WithLabels() take a
//   mutex; Counter::Inc, Gauge::Set/Add and Histogram::Observe are lock-free atomics, so cache
//   the child on hot paths. Serialize() reads the atomics without stopping writers, so a
//   histogram's _sum and _count may disagree by the observations in flight (its buckets and _count
//   agree).
// - Errors: registration and label mistakes are programming errors found at startup, not
//   expected failures, so they throw std::invalid_argument rather than returning a Result:
//   an invalid metric or label name, a duplicate label name, an empty HELP, a counter name not
//   ending in "_total", a histogram with a label "le" or buckets that are not strictly
//   increasing, a name that collides with one already exposed (a histogram "x" exposes x_bucket,
//   x_sum and x_count; the process_* names are always taken), and WithLabels() with the wrong
//   number of values.
// - Sharing: several components may register the same family — same name, type, HELP, label
//   names and buckets — and get the one family back (two HTTP servers in one process both count
//   into dataplane_http_requests_total, told apart by a label; see metrics/scope.h). The same
//   name with anything else different is a collision and throws.
// - Output: families print in registration order, children in ascending order of their label
//   values; a family with labels prints nothing until its first child exists, a family without
//   labels prints its single child (0) from registration on. Serialize() ends with the standard
//   process_* metrics (metrics/process_metrics.h).
#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace dataplane::metrics {

// A monotonically increasing value, e.g. requests served.
class Counter {
 public:
  //! Adds v; a negative or NaN v is ignored, since a counter never goes down.
  void Inc(double v = 1.0);
  double Value() const;

 private:
  std::atomic<double> value_{0.0};  // lock-free
};

// A value that goes up and down, e.g. a queue depth.
class Gauge {
 public:
  void Set(double v);
  void Add(double v);
  double Value() const;

 private:
  std::atomic<double> value_{0.0};  // lock-free
};

// Counts observations into buckets with inclusive upper bounds (v <= bound), plus +Inf.
class Histogram {
 public:
  //! upper_bounds must be strictly increasing and finite (MetricsRegistry validates them).
  explicit Histogram(std::vector<double> upper_bounds);

  //! Lock-free; a NaN lands in the +Inf bucket and makes Sum() NaN, as in the Go client.
  void Observe(double v);
  std::uint64_t Count() const;
  double Sum() const;

  const std::vector<double>& UpperBounds() const { return upper_bounds_; }
  //! Cumulative counts, one per upper bound, then the +Inf bucket (== Count()).
  std::vector<std::uint64_t> CumulativeCounts() const;

 private:
  const std::vector<double> upper_bounds_;
  std::vector<std::atomic<std::uint64_t>> buckets_;  // lock-free; per bucket, last is +Inf
  std::atomic<double> sum_{0.0};                     // lock-free
};

namespace detail {
// What the registry needs of a family of any metric type.
class FamilyBase {
 public:
  virtual ~FamilyBase() = default;
  //! Appends HELP, TYPE and every child's samples; nothing if there are no children.
  virtual void AppendTo(std::string& out) const = 0;
  //! Type, HELP, label names and buckets: two registrations of one name must agree on it.
  virtual std::string Signature() const = 0;
};

//! Appends v as Prometheus parses it: shortest round-trip decimal, "+Inf", "-Inf" or "NaN".
void AppendNumber(std::string& out, double v);
//! Appends "# HELP name help" (help escaped) and "# TYPE name type" lines.
void AppendHeader(std::string& out, std::string_view name, std::string_view help,
                  std::string_view type);
}  // namespace detail

// The children of one metric name, one per distinct tuple of label values.
// Constructed by MetricsRegistry, which has validated the arguments.
template <typename Metric>
class Family final : public detail::FamilyBase {
 public:
  Family(std::string name, std::string help, std::vector<std::string> label_names,
         std::vector<double> bucket_upper_bounds = {});

  //! The child for these label values (in the order of the family's label names), created on
  //! first use. Throws std::invalid_argument on a wrong number of values.
  Metric& WithLabels(const std::vector<std::string>& label_values);
  Metric& WithLabels(std::initializer_list<std::string_view> label_values);

  void AppendTo(std::string& out) const override;
  std::string Signature() const override;

 private:
  const std::string name_;
  const std::string help_;
  const std::vector<std::string> label_names_;
  const std::vector<double> bucket_upper_bounds_;  // histograms only
  mutable std::mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> children_;  // guarded by mu_
};

extern template class Family<Counter>;
extern template class Family<Gauge>;
extern template class Family<Histogram>;

class MetricsRegistry {
 public:
  MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  //! name must end in "_total". Throws std::invalid_argument (see the contract above).
  Family<Counter>& AddCounter(std::string name, std::string help,
                              std::vector<std::string> label_names = {});
  Family<Gauge>& AddGauge(std::string name, std::string help,
                          std::vector<std::string> label_names = {});
  //! A trailing +Inf bound is accepted and dropped; the +Inf bucket is always there.
  Family<Histogram>& AddHistogram(std::string name, std::string help,
                                  std::vector<std::string> label_names,
                                  std::vector<double> bucket_upper_bounds);

  //! Text exposition format 0.0.4 of every family, then the process_* metrics.
  std::string Serialize() const;

 private:
  // Takes ownership of a validated family once none of exposed_names is taken, or returns the
  // family already registered under its name with the same signature; throws otherwise.
  template <typename Metric>
  Family<Metric>& Register(std::unique_ptr<Family<Metric>> family, const std::string& name,
                           const std::vector<std::string>& exposed_names);

  mutable std::mutex mu_;
  std::vector<std::unique_ptr<detail::FamilyBase>> families_;        // guarded by mu_
  std::map<std::string, detail::FamilyBase*, std::less<>> by_name_;  // guarded by mu_
  std::set<std::string, std::less<>> taken_names_;                   // guarded by mu_
};

//! Latency buckets in seconds, 0.5 ms .. 10 s.
std::vector<double> DefaultLatencyBuckets();

}  // namespace dataplane::metrics
