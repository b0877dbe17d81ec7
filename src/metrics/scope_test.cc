// Tests of metrics::Scope: constant labels in front of the component's own, families shared
// between scopes, the exposition of two scopes passing promtool.
#include "metrics/scope.h"

#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "metrics/testing/promtool.h"

namespace dataplane::metrics {
namespace {

std::string FamiliesText(const MetricsRegistry& registry) {
  const std::string text = registry.Serialize();
  return text.substr(0, text.find("# HELP process_"));
}

TEST(MetricsScopeTest, ConstantLabelsComeFirstAndScopesShareTheFamily) {
  MetricsRegistry registry;
  const Scope local = Scope(registry).With("service", "local_api");
  const Scope central = Scope(registry).With("service", "central_api");
  local.AddCounter("requests_total", "Requests.", {"route"}).WithLabels({"/a"}).Inc(2);
  central.AddCounter("requests_total", "Requests.", {"route"}).WithLabels({"/a"}).Inc(3);
  local.With("pool", "queries").AddGauge("connections", "Connections.").WithLabels({}).Set(4);

  const std::string text = FamiliesText(registry);
  EXPECT_EQ(text,
            "# HELP requests_total Requests.\n"
            "# TYPE requests_total counter\n"
            "requests_total{service=\"central_api\",route=\"/a\"} 3\n"
            "requests_total{service=\"local_api\",route=\"/a\"} 2\n"
            "# HELP connections Connections.\n"
            "# TYPE connections gauge\n"
            "connections{service=\"local_api\",pool=\"queries\"} 4\n");
}

TEST(MetricsScopeTest, TheSameScopeTwiceSharesTheChildren) {
  MetricsRegistry registry;
  const Scope scope = Scope(registry).With("service", "a");
  Counter& first = scope.AddCounter("events_total", "Events.", {"result"}).WithLabels({"ok"});
  Counter& again = scope.AddCounter("events_total", "Events.", {"result"}).WithLabels({"ok"});
  EXPECT_EQ(&first, &again);
}

TEST(MetricsScopeTest, AFamilyWithoutOwnLabelsIsExposedAtOnce) {
  MetricsRegistry registry;
  Scope(registry).With("service", "a").AddGauge("queue_events", "Queued.");
  EXPECT_NE(FamiliesText(registry).find("queue_events{service=\"a\"} 0\n"), std::string::npos)
      << FamiliesText(registry);
}

TEST(MetricsScopeTest, RefusesAnOwnLabelNamedLikeAConstantOne) {
  MetricsRegistry registry;
  const Scope scope = Scope(registry).With("service", "a");
  EXPECT_THROW(scope.AddCounter("x_total", "X.", {"service"}), std::invalid_argument);
  EXPECT_THROW(scope.AddCounter("y_total", "Y.", {"route"}).WithLabels({"r", "extra"}),
               std::invalid_argument);
}

TEST(MetricsScopeTest, TwoScopesPassPromtool) {
  MetricsRegistry registry;
  for (const char* service : {"local_api", "central_api"}) {
    const Scope scope = Scope(registry).With("service", service);
    scope.AddHistogram("latency_seconds", "Latency.", {"route"}, DefaultLatencyBuckets())
        .WithLabels({"/v1/jobs"})
        .Observe(0.01);
    scope.AddGauge("up", "Up.").WithLabels({}).Set(1);
  }
  EXPECT_TRUE(testing::PromtoolAccepts(registry.Serialize()));
}

}  // namespace
}  // namespace dataplane::metrics
