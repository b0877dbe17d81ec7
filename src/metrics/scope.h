#pragma once
// A view of a MetricsRegistry that adds constant labels to every family registered through it,
// so that several services, servers or pools in one process share one registry and one scrape
// (Prometheus's "wrap registerer with labels").
//
// Contract:
// - `Scope(registry).With("service", "local_api")` adds label service="local_api" in front of
//   the component's own labels: a server registering dataplane_http_requests_total{route,…}
//   through it exposes dataplane_http_requests_total{service="local_api",route=…}. A second
//   scope with another value shares the family (metrics/registry.h, "Sharing") and adds its
//   own children; the same scope twice shares the children too.
// - Families registered without labels of their own expose their child (0) from registration
//   on, as in the registry.
// - A Scope is a small value: copy it freely. It must not outlive its registry; neither must
//   the ScopedFamily values it returns, nor the children they hand out (stable for the
//   registry's lifetime, so cache them on hot paths). Thread-safety as in the registry.
// - Errors: as in the registry (std::invalid_argument at startup), plus a constant label name
//   repeated among the component's labels.
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "metrics/registry.h"

namespace dataplane::metrics {

// One family as seen through a Scope: WithLabels takes the component's own label values.
template <typename Metric>
class ScopedFamily {
 public:
  ScopedFamily(Family<Metric>& family, std::vector<std::string> constant_values)
      : family_(&family), constant_values_(std::move(constant_values)) {}

  //! The child for the component's label values, after the scope's constant ones.
  Metric& WithLabels(std::initializer_list<std::string_view> label_values) const;
  Metric& WithLabels(const std::vector<std::string>& label_values) const;

 private:
  Family<Metric>* family_;
  std::vector<std::string> constant_values_;
};

class Scope {
 public:
  //! The registry itself, no constant labels (implicit: a registry is its own root scope).
  Scope(MetricsRegistry& registry) : registry_(&registry) {}  // NOLINT(google-explicit-constructor)

  //! This scope plus label `name`=`value`.
  Scope With(std::string name, std::string value) const;

  ScopedFamily<Counter> AddCounter(std::string name, std::string help,
                                   std::vector<std::string> label_names = {}) const;
  ScopedFamily<Gauge> AddGauge(std::string name, std::string help,
                               std::vector<std::string> label_names = {}) const;
  ScopedFamily<Histogram> AddHistogram(std::string name, std::string help,
                                       std::vector<std::string> label_names,
                                       std::vector<double> bucket_upper_bounds) const;

  //! The whole registry, e.g. for the /metrics endpoint (one scrape shows every scope).
  MetricsRegistry& registry() const { return *registry_; }

 private:
  std::vector<std::string> LabelNames(std::vector<std::string> own) const;
  template <typename Metric>
  ScopedFamily<Metric> Scoped(Family<Metric>& family, bool has_own_labels) const;

  MetricsRegistry* registry_;
  std::vector<std::string> names_;   // constant label names, outermost first
  std::vector<std::string> values_;  // their values
};

extern template class ScopedFamily<Counter>;
extern template class ScopedFamily<Gauge>;
extern template class ScopedFamily<Histogram>;

}  // namespace dataplane::metrics
