#include "central_api/job_figures.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

namespace dataplane::central_api {
namespace {
namespace json = boost::json;

JobFigures Figures(const char* text) {
  auto figures = JobFigures::FromMergeableItem(json::parse(text).as_object());
  EXPECT_TRUE(figures.ok()) << text << ": " << figures.error().message;
  return figures.ok() ? *figures : JobFigures{};
}

TEST(JobFigures, MergeAddsCountsAndSumsAndTakesExtremes) {
  JobFigures a = Figures(
      R"({"job_count":4,"succeeded_count":2,"failed_count":1,"canceled_count":0,
          "duration_s":{"count":3,"sum":6.0,"min":1.0,"max":3.0,"histogram":{"first_bin":10,"counts":[3]}},
          "cpu_s":{"count":2,"sum":4.0},"mem_mb":{"count":3,"sum":30.0,"max":12.0}})");
  JobFigures b = Figures(
      R"({"job_count":2,"succeeded_count":0,"failed_count":1,"canceled_count":1,
          "duration_s":{"count":1,"sum":9.0,"min":9.0,"max":9.0,"histogram":{"first_bin":50,"counts":[1]}},
          "cpu_s":{"count":0,"sum":0.0},"mem_mb":{"count":0,"sum":0.0,"max":null}})");
  a.Merge(b);
  json::object out;
  a.WriteTo(out);
  EXPECT_EQ(out["job_count"], 6);
  EXPECT_EQ(out["running_count"], 1);
  EXPECT_DOUBLE_EQ(out["success_rate"].as_double(), 2.0 / 5.0);
  EXPECT_DOUBLE_EQ(out["duration_s"].at("avg").as_double(), 15.0 / 4.0);
  EXPECT_DOUBLE_EQ(out["duration_s"].at("min").as_double(), 1.0);
  EXPECT_DOUBLE_EQ(out["duration_s"].at("max").as_double(), 9.0);
  EXPECT_EQ(out["duration_s"].at("count"), 4);
  EXPECT_EQ(a.duration_histogram.Count(), 4);
  EXPECT_DOUBLE_EQ(out["cpu_s"].at("avg").as_double(), 2.0);
  EXPECT_DOUBLE_EQ(out["mem_mb"].at("max").as_double(), 12.0);
}

TEST(JobFigures, NothingToAverageIsNull) {
  JobFigures empty;
  json::object out;
  empty.WriteTo(out);
  EXPECT_TRUE(out["success_rate"].is_null());
  EXPECT_TRUE(out["duration_s"].at("p50").is_null());
  EXPECT_TRUE(out["duration_s"].at("avg").is_null());
  EXPECT_TRUE(out["mem_mb"].at("max").is_null());
}

TEST(JobFigures, MalformedItemsAreRefused) {
  for (
      const char* text : {
          R"({})",
          R"({"job_count":-1,"succeeded_count":0,"failed_count":0,"canceled_count":0,"duration_s":{},"cpu_s":{},"mem_mb":{}})",
          R"({"job_count":1,"succeeded_count":0,"failed_count":0,"canceled_count":0,"duration_s":{"count":0,"sum":0,"min":null,"max":null},"cpu_s":{"count":0,"sum":0},"mem_mb":{"count":0,"sum":0,"max":null}})",
          R"({"job_count":1,"succeeded_count":0,"failed_count":0,"canceled_count":0,"duration_s":{"count":0,"sum":0,"min":null,"max":null,"histogram":{"first_bin":-3,"counts":[1]}},"cpu_s":{"count":0,"sum":0},"mem_mb":{"count":0,"sum":0,"max":null}})",
          R"({"job_count":"1","succeeded_count":0,"failed_count":0,"canceled_count":0,"duration_s":{"count":0,"sum":0,"min":null,"max":null,"histogram":null},"cpu_s":{"count":0,"sum":0},"mem_mb":{"count":0,"sum":0,"max":null}})",
      }) {
    EXPECT_FALSE(JobFigures::FromMergeableItem(json::parse(text).as_object()).ok()) << text;
  }
  EXPECT_TRUE(
      JobFigures::FromMergeableItem(
          json::parse(
              R"({"job_count":1,"succeeded_count":0,"failed_count":0,"canceled_count":0,"duration_s":{"count":0,"sum":0,"min":null,"max":null,"histogram":null},"cpu_s":{"count":0,"sum":0},"mem_mb":{"count":0,"sum":0,"max":null}})")
              .as_object())
          .ok());
}

}  // namespace
}  // namespace dataplane::central_api
