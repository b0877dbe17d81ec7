// Tests of the metrics registry: exposition text, escaping, validation, concurrency, the
// process_* metrics, and that promtool accepts what Serialize() prints.
#include "metrics/registry.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "metrics/testing/promtool.h"

namespace dataplane::metrics {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Serialize() without the process_* metrics that always end it.
std::string FamiliesText(const MetricsRegistry& registry) {
  std::string text = registry.Serialize();
  std::size_t process = text.find("# HELP process_");
  EXPECT_NE(process, std::string::npos);
  return text.substr(0, process);
}

std::string Number(double v) {
  std::string out;
  detail::AppendNumber(out, v);
  return out;
}

TEST(MetricsTest, ExpositionOfEveryTypeWithAndWithoutLabels) {
  MetricsRegistry registry;
  registry.AddCounter("jobs_total", "Jobs run.").WithLabels({}).Inc(2);
  auto& depth = registry.AddGauge("queue_depth", "Items waiting.", {"queue"});
  depth.WithLabels({"b"}).Set(-1.5);  // children print sorted, not in creation order
  depth.WithLabels({"a"}).Set(3);
  registry.AddCounter("unused_total", "No child yet, so not printed.", {"kind"});
  auto& latency =
      registry.AddHistogram("request_duration_seconds", "Time to answer.", {"route"}, {0.125, 1});
  for (double v : {0.0625, 0.125, 0.5, 3.0}) latency.WithLabels({"/x"}).Observe(v);
  registry.AddHistogram("batch_size", "Events per batch.", {}, {10, 100});

  EXPECT_EQ(FamiliesText(registry),
            "# HELP jobs_total Jobs run.\n"
            "# TYPE jobs_total counter\n"
            "jobs_total 2\n"
            "# HELP queue_depth Items waiting.\n"
            "# TYPE queue_depth gauge\n"
            "queue_depth{queue=\"a\"} 3\n"
            "queue_depth{queue=\"b\"} -1.5\n"
            "# HELP request_duration_seconds Time to answer.\n"
            "# TYPE request_duration_seconds histogram\n"
            "request_duration_seconds_bucket{route=\"/x\",le=\"0.125\"} 2\n"
            "request_duration_seconds_bucket{route=\"/x\",le=\"1\"} 3\n"
            "request_duration_seconds_bucket{route=\"/x\",le=\"+Inf\"} 4\n"
            "request_duration_seconds_sum{route=\"/x\"} 3.6875\n"
            "request_duration_seconds_count{route=\"/x\"} 4\n"
            "# HELP batch_size Events per batch.\n"
            "# TYPE batch_size histogram\n"
            "batch_size_bucket{le=\"10\"} 0\n"
            "batch_size_bucket{le=\"100\"} 0\n"
            "batch_size_bucket{le=\"+Inf\"} 0\n"
            "batch_size_sum 0\n"
            "batch_size_count 0\n");
}

TEST(MetricsTest, NumbersPrintAsPrometheusParsesThem) {
  EXPECT_EQ(Number(0), "0");
  EXPECT_EQ(Number(0.1), "0.1");
  EXPECT_EQ(Number(-2.5), "-2.5");
  EXPECT_EQ(Number(1e20), "1e+20");
  EXPECT_EQ(Number(kInf), "+Inf");
  EXPECT_EQ(Number(-kInf), "-Inf");
  EXPECT_EQ(Number(kNaN), "NaN");
  for (double v : {1.0 / 3, 123456789.123456789, 5e-324, 1.7976931348623157e308}) {
    EXPECT_EQ(std::strtod(Number(v).c_str(), nullptr), v) << Number(v);
  }
}

TEST(MetricsTest, EscapesLabelValuesAndHelp) {
  MetricsRegistry registry;
  registry.AddGauge("escaped", "Line one\nback\\slash \"quoted\"", {"path"})
      .WithLabels({"a\\b\"c\nd"})
      .Set(1);
  EXPECT_EQ(FamiliesText(registry),
            "# HELP escaped Line one\\nback\\\\slash \"quoted\"\n"
            "# TYPE escaped gauge\n"
            "escaped{path=\"a\\\\b\\\"c\\nd\"} 1\n");
}

TEST(MetricsTest, RejectsInvalidRegistrations) {
  MetricsRegistry registry;
  for (const char* name : {"", "1abc", "a-b", "a b", "caf\xc3\xa9_total"}) {
    EXPECT_THROW(registry.AddGauge(name, "h"), std::invalid_argument) << name;
  }
  for (const char* label : {"", "1a", "a-b", "__reserved", "a:b"}) {
    EXPECT_THROW(registry.AddGauge("g", "h", {label}), std::invalid_argument) << label;
  }
  EXPECT_THROW(registry.AddGauge("g", "h", {"a", "a"}), std::invalid_argument);
  EXPECT_THROW(registry.AddGauge("g", ""), std::invalid_argument);
  EXPECT_THROW(registry.AddCounter("requests", "h"), std::invalid_argument);
  EXPECT_THROW(registry.AddCounter("_total", "h"), std::invalid_argument);
  EXPECT_THROW(registry.AddHistogram("h", "h", {"le"}, {1}), std::invalid_argument);
  EXPECT_THROW(registry.AddHistogram("h", "h", {}, {2, 1}), std::invalid_argument);
  EXPECT_THROW(registry.AddHistogram("h", "h", {}, {1, 1}), std::invalid_argument);
  EXPECT_THROW(registry.AddHistogram("h", "h", {}, {kNaN}), std::invalid_argument);
  EXPECT_THROW(registry.AddHistogram("h", "h", {}, {-kInf, 1}), std::invalid_argument);
  EXPECT_THROW(registry.AddGauge("process_open_fds", "h"), std::invalid_argument);

  // None of the failures above took a name.
  EXPECT_NO_THROW(registry.AddGauge("g", "h", {"ok"}));
  EXPECT_NO_THROW(registry.AddHistogram("h", "h", {}, {1, kInf}));
  EXPECT_EQ(registry.AddHistogram("h2", "h", {}, {1, kInf}).WithLabels({}).UpperBounds(),
            std::vector<double>{1});
}

TEST(MetricsTest, SameFamilyRegisteredTwiceIsSharedAnythingElseCollides) {
  MetricsRegistry registry;
  auto& first = registry.AddCounter("events_total", "h", {"result"});
  EXPECT_EQ(&registry.AddCounter("events_total", "h", {"result"}), &first);
  EXPECT_THROW(registry.AddCounter("events_total", "other help", {"result"}),
               std::invalid_argument);
  EXPECT_THROW(registry.AddCounter("events_total", "h", {"outcome"}), std::invalid_argument);
  EXPECT_THROW(registry.AddCounter("events_total", "h"), std::invalid_argument);
  EXPECT_THROW(registry.AddGauge("events_total", "h", {"result"}), std::invalid_argument);
  auto& latency = registry.AddHistogram("wait_seconds", "h", {}, {1, 2});
  EXPECT_EQ(&registry.AddHistogram("wait_seconds", "h", {}, {1, 2}), &latency);
  EXPECT_THROW(registry.AddHistogram("wait_seconds", "h", {}, {1, 3}), std::invalid_argument);
  first.WithLabels({"ok"}).Inc();
  EXPECT_EQ(FamiliesText(registry).find("# TYPE events_total"),
            FamiliesText(registry).rfind("# TYPE events_total"))
      << "one family, printed once";
}

TEST(MetricsTest, RejectsCollidingNames) {
  MetricsRegistry registry;
  registry.AddGauge("latency_count", "h");
  EXPECT_THROW(registry.AddHistogram("latency", "h", {}, {1}), std::invalid_argument);
  registry.AddHistogram("size", "h", {}, {1});
  EXPECT_THROW(registry.AddGauge("size_sum", "h"), std::invalid_argument);
  EXPECT_THROW(registry.AddGauge("size", "h"), std::invalid_argument);
}

TEST(MetricsTest, RejectsWrongNumberOfLabelValues) {
  MetricsRegistry registry;
  auto& family = registry.AddCounter("calls_total", "h", {"a", "b"});
  EXPECT_THROW(family.WithLabels({"x"}), std::invalid_argument);
  EXPECT_THROW(family.WithLabels({"x", "y", "z"}), std::invalid_argument);
  EXPECT_THROW(family.WithLabels(std::vector<std::string>{}), std::invalid_argument);
  EXPECT_NO_THROW(family.WithLabels({"x", "y"}));
  auto& plain = registry.AddGauge("plain", "h");
  EXPECT_THROW(plain.WithLabels({"x"}), std::invalid_argument);
}

TEST(MetricsTest, ChildrenAreStableAndShared) {
  MetricsRegistry registry;
  auto& family = registry.AddCounter("hits_total", "h", {"k"});
  Counter& first = family.WithLabels({"k0"});
  for (int i = 1; i < 1000; ++i) family.WithLabels({std::to_string(i)});
  EXPECT_EQ(&family.WithLabels(std::vector<std::string>{"k0"}), &first);
}

TEST(MetricsTest, MetricSemantics) {
  Counter counter;
  counter.Inc();
  counter.Inc(2.5);
  counter.Inc(-1);  // ignored: counters never go down
  counter.Inc(kNaN);
  EXPECT_EQ(counter.Value(), 3.5);

  Gauge gauge;
  gauge.Set(4);
  gauge.Add(-6.5);
  EXPECT_EQ(gauge.Value(), -2.5);

  Histogram histogram({1, 2});
  for (double v : {1.0, 1.5, 2.0, 7.0, kInf}) histogram.Observe(v);  // bounds are inclusive
  EXPECT_EQ(histogram.CumulativeCounts(), (std::vector<std::uint64_t>{1, 3, 5}));
  EXPECT_EQ(histogram.Count(), 5u);
  EXPECT_EQ(histogram.Sum(), kInf);
  histogram.Observe(kNaN);
  EXPECT_EQ(histogram.CumulativeCounts(), (std::vector<std::uint64_t>{1, 3, 6}));
  EXPECT_TRUE(std::isnan(histogram.Sum()));

  std::vector<double> buckets = DefaultLatencyBuckets();
  EXPECT_TRUE(std::is_sorted(buckets.begin(), buckets.end()));
  EXPECT_EQ(buckets.front(), 0.0005);
  EXPECT_EQ(buckets.back(), 10);
}

TEST(MetricsTest, ConcurrentUpdatesAddUpExactly) {
  constexpr int kThreads = 8;
  constexpr int kIterations = 50'000;
  constexpr int kKeys = 16;
  MetricsRegistry registry;
  auto& cached = registry.AddCounter("cached_total", "h").WithLabels({});
  auto& keyed = registry.AddCounter("keyed_total", "h", {"key"});
  auto& gauge = registry.AddGauge("level", "h").WithLabels({});
  auto& histogram = registry.AddHistogram("obs", "h", {}, {0.5, 1.5}).WithLabels({});

  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kIterations; ++i) {
        cached.Inc();
        keyed.WithLabels({std::to_string((t + i) % kKeys)}).Inc();
        gauge.Add(1);
        histogram.Observe(i % 2);  // 0 and 1: half in each of the first two buckets
        if (t == 0 && i % 5'000 == 0) registry.Serialize();  // readers race writers
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  constexpr double kTotal = double{kThreads} * kIterations;
  EXPECT_EQ(cached.Value(), kTotal);
  EXPECT_EQ(gauge.Value(), kTotal);
  double keyed_sum = 0;
  for (int k = 0; k < kKeys; ++k) keyed_sum += keyed.WithLabels({std::to_string(k)}).Value();
  EXPECT_EQ(keyed_sum, kTotal);
  EXPECT_EQ(histogram.Count(), static_cast<std::uint64_t>(kTotal));
  EXPECT_EQ(histogram.Sum(), kTotal / 2);
  EXPECT_EQ(histogram.CumulativeCounts()[0], static_cast<std::uint64_t>(kTotal / 2));
}

TEST(MetricsTest, SerializeEndsWithProcessMetrics) {
  MetricsRegistry registry;
  std::string text = registry.Serialize();
  EXPECT_EQ(text.find("# HELP process_"), 0u) << text;
  EXPECT_NE(text.find("# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total "),
            std::string::npos);
  for (const char* gauge : {"process_open_fds", "process_max_fds", "process_virtual_memory_bytes",
                            "process_resident_memory_bytes", "process_start_time_seconds"}) {
    EXPECT_NE(text.find("# TYPE " + std::string(gauge) + " gauge\n" + gauge + " "),
              std::string::npos)
        << gauge;
  }
  auto value = [&](const std::string& name) {
    std::size_t at = text.find("\n" + name + " ");
    return at == std::string::npos ? -1.0
                                   : std::strtod(text.c_str() + at + name.size() + 2, nullptr);
  };
  EXPECT_GT(value("process_open_fds"), 2);
  EXPECT_GE(value("process_max_fds"), value("process_open_fds"));
  EXPECT_GT(value("process_resident_memory_bytes"), 1e5);
  EXPECT_GT(value("process_virtual_memory_bytes"), value("process_resident_memory_bytes"));
  double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_LE(value("process_start_time_seconds"), now + 1);
  EXPECT_GT(value("process_start_time_seconds"), now - 24 * 3600.0);
}

TEST(MetricsPromtoolTest, PromtoolAcceptsSerializeOutput) {
  MetricsRegistry registry;
  registry.AddCounter("http_requests_total", "Requests served.", {"method", "code"})
      .WithLabels({"GET", "200"})
      .Inc(7);
  registry.AddGauge("odd_values", "Help with \\ and \n and \"quotes\".", {"label"})
      .WithLabels({"quote\" back\\ newline\n"})
      .Set(kNaN);
  registry.AddGauge("limit_ratio", "Unlimited.").WithLabels({}).Set(-kInf);
  auto& latency = registry.AddHistogram("request_duration_seconds", "Time to answer.", {"route"},
                                        DefaultLatencyBuckets());
  for (double v : {0.0001, 0.003, 0.2, 42.0}) latency.WithLabels({"/v1/x"}).Observe(v);
  registry.AddHistogram("empty_seconds", "Never observed.", {}, {1});

  EXPECT_TRUE(testing::PromtoolAccepts(registry.Serialize()));
}

}  // namespace
}  // namespace dataplane::metrics
