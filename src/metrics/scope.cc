#include "metrics/scope.h"

#include <algorithm>
#include <stdexcept>

namespace dataplane::metrics {

template <typename Metric>
Metric& ScopedFamily<Metric>::WithLabels(
    std::initializer_list<std::string_view> label_values) const {
  std::vector<std::string> values = constant_values_;
  values.insert(values.end(), label_values.begin(), label_values.end());
  return family_->WithLabels(values);
}

template <typename Metric>
Metric& ScopedFamily<Metric>::WithLabels(const std::vector<std::string>& label_values) const {
  std::vector<std::string> values = constant_values_;
  values.insert(values.end(), label_values.begin(), label_values.end());
  return family_->WithLabels(values);
}

template class ScopedFamily<Counter>;
template class ScopedFamily<Gauge>;
template class ScopedFamily<Histogram>;

Scope Scope::With(std::string name, std::string value) const {
  Scope scope = *this;
  scope.names_.push_back(std::move(name));
  scope.values_.push_back(std::move(value));
  return scope;
}

std::vector<std::string> Scope::LabelNames(std::vector<std::string> own) const {
  for (const std::string& label : own) {
    if (std::find(names_.begin(), names_.end(), label) != names_.end()) {
      throw std::invalid_argument("label \"" + label +
                                  "\" is already a constant label of the scope");
    }
  }
  std::vector<std::string> names = names_;
  names.insert(names.end(), std::make_move_iterator(own.begin()),
               std::make_move_iterator(own.end()));
  return names;
}

template <typename Metric>
ScopedFamily<Metric> Scope::Scoped(Family<Metric>& family, bool has_own_labels) const {
  ScopedFamily<Metric> scoped(family, values_);
  if (!has_own_labels) scoped.WithLabels({});  // exposed (as 0) from registration on
  return scoped;
}

ScopedFamily<Counter> Scope::AddCounter(std::string name, std::string help,
                                        std::vector<std::string> label_names) const {
  const bool own = !label_names.empty();
  return Scoped(
      registry_->AddCounter(std::move(name), std::move(help), LabelNames(std::move(label_names))),
      own);
}

ScopedFamily<Gauge> Scope::AddGauge(std::string name, std::string help,
                                    std::vector<std::string> label_names) const {
  const bool own = !label_names.empty();
  return Scoped(
      registry_->AddGauge(std::move(name), std::move(help), LabelNames(std::move(label_names))),
      own);
}

ScopedFamily<Histogram> Scope::AddHistogram(std::string name, std::string help,
                                            std::vector<std::string> label_names,
                                            std::vector<double> bucket_upper_bounds) const {
  const bool own = !label_names.empty();
  return Scoped(
      registry_->AddHistogram(std::move(name), std::move(help), LabelNames(std::move(label_names)),
                              std::move(bucket_upper_bounds)),
      own);
}

}  // namespace dataplane::metrics
