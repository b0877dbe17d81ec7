// Tests of DurationHistogram: the SQL bin formula, percentiles of known samples computed by
// hand from duration_histogram_percentile's definition, merge, and the JSON form.
#include "api/duration_histogram.h"

#include <cmath>
#include <initializer_list>
#include <limits>

#include <gtest/gtest.h>

namespace dataplane::api {
namespace {

DurationHistogram Of(std::initializer_list<double> seconds) {
  DurationHistogram h;
  for (double s : seconds) h.Add(s);
  return h;
}

std::string Json(const DurationHistogram& h) {
  std::string out;
  h.AppendJson(out);
  return out;
}

// 1 ms * 1.05^e: where the geometric interpolation lands.
double Ms105(double e) { return 0.001 * std::pow(1.05, e); }

void ExpectRelative(std::optional<double> actual, double expected) {
  ASSERT_TRUE(actual.has_value());
  EXPECT_NEAR(*actual, expected, std::abs(expected) * 1e-12);
}

TEST(DurationHistogramBins, TheSqlFormula) {
  EXPECT_EQ(DurationHistogram::BinOf(0), 0);
  EXPECT_EQ(DurationHistogram::BinOf(-3), 0);
  EXPECT_EQ(DurationHistogram::BinOf(0.000999), 0);
  EXPECT_EQ(DurationHistogram::BinOf(0.001), 1);
  EXPECT_EQ(DurationHistogram::BinOf(0.00104), 1);
  EXPECT_EQ(DurationHistogram::BinOf(0.00106), 2);
  EXPECT_EQ(DurationHistogram::BinOf(1.0), 142);  // 1 + floor(ln 1000 / ln 1.05) = 1 + 141
  EXPECT_EQ(DurationHistogram::BinOf(1.1), 144);  // 1 + floor(143.53)
  EXPECT_EQ(DurationHistogram::BinOf(1e9), 567);
  EXPECT_EQ(DurationHistogram::BinOf(1e19), 1000);
  EXPECT_EQ(DurationHistogram::BinOf(std::numeric_limits<double>::infinity()), 1000);
  EXPECT_EQ(DurationHistogram::BinOf(std::nan("")), std::nullopt);
  EXPECT_EQ(DurationHistogram::LowerBound(0), 0);
  EXPECT_EQ(DurationHistogram::LowerBound(1), 0.001);
  EXPECT_DOUBLE_EQ(DurationHistogram::LowerBound(143), Ms105(142));
  // On a bound, where the rounding of ln 1.05 decides: as duration_histogram() bins it (every
  // bound is checked against SQL by tests/integration/duration_histogram_sql_test.cc).
  for (int bin : {4, 7, 19})
    EXPECT_EQ(DurationHistogram::BinOf(DurationHistogram::LowerBound(bin)), bin);
  for (int bin : {1, 2, 142, 500, 999}) {
    const double lo = DurationHistogram::LowerBound(bin);
    EXPECT_EQ(DurationHistogram::BinOf(lo * 1.0001), bin) << bin;
    EXPECT_EQ(DurationHistogram::BinOf(lo * 1.05 / 1.0001), bin) << bin;
  }
}

TEST(DurationHistogramPercentile, OneValueSitsInTheMiddleOfItsBin) {
  // total 1: rank 0 for every p, pos = (0 - 0 + 0.5) / 1.
  ExpectRelative(Of({0.0004}).Percentile(0.5), 0.0005);  // bin 0: linear, 0 + 0.001 * 0.5
  ExpectRelative(Of({1.0}).Percentile(0.5), Ms105(141.5));
  ExpectRelative(Of({1.0}).Percentile(0.95), Ms105(141.5));
}

TEST(DurationHistogramPercentile, RanksLikePercentileCont) {
  // Bins 0 and 142, one value each: rank p * (2 - 1).
  const DurationHistogram two = Of({0.0004, 1.0});
  ExpectRelative(two.Percentile(0), 0.0005);        // rank 0: pos 0.5 in bin 0
  ExpectRelative(two.Percentile(0.5), 0.001);       // rank 0.5: pos 1.0 in bin 0
  ExpectRelative(two.Percentile(0.75), 0.00125);    // rank 0.75: pos 1.25, as SQL extrapolates
  ExpectRelative(two.Percentile(1), Ms105(141.5));  // rank 1: pos 0.5 in bin 142
  // Four values in bin 142 (lower bound 1.05^141 ms): pos = (rank + 0.5) / 4.
  const DurationHistogram four = Of({1.0, 1.0, 1.0, 1.0});
  ExpectRelative(four.Percentile(0), Ms105(141 + 0.125));
  ExpectRelative(four.Percentile(0.5), Ms105(141 + 0.5));      // rank 1.5
  ExpectRelative(four.Percentile(0.95), Ms105(141 + 0.8375));  // rank 2.85
  ExpectRelative(four.Percentile(1), Ms105(141 + 0.875));
}

TEST(DurationHistogramPercentile, TheJobsOfTheStatsApiTest) {
  // 10, 20, …, 100 s, five more of 50 s and one of 5 s: 16 values, p50 at rank 7.5.
  DurationHistogram h;
  for (int i = 1; i <= 10; ++i) h.Add(10.0 * i);
  for (int i = 0; i < 5; ++i) h.Add(50);
  h.Add(5);
  EXPECT_EQ(h.Count(), 16);
  // Sorted: 5, 10, 20, 30, 40 (ranks 0-4), 50 x 6 (ranks 5-10, bin 222), 60, 70, 80, 90, 100.
  ASSERT_EQ(DurationHistogram::BinOf(50), 222);
  ExpectRelative(h.Percentile(0.5), Ms105(221 + (7.5 - 5 + 0.5) / 6));
  // p95: rank 14.25, the 15th value: 90 s, alone in bin 234.
  ASSERT_EQ(DurationHistogram::BinOf(90), 234);
  ASSERT_EQ(DurationHistogram::BinOf(80), 232);
  ExpectRelative(h.Percentile(0.95), Ms105(233 + (14.25 - 14 + 0.5) / 1));
}

TEST(DurationHistogramPercentile, EmptyAndOutOfRangeP) {
  EXPECT_EQ(DurationHistogram().Percentile(0.5), std::nullopt);
  EXPECT_EQ(Of({std::nan("")}).Percentile(0.5), std::nullopt);
  const DurationHistogram two = Of({0.0004, 1.0});
  EXPECT_EQ(two.Percentile(-1), two.Percentile(0));
  EXPECT_EQ(two.Percentile(7), two.Percentile(1));
  EXPECT_EQ(two.Percentile(std::nan("")), two.Percentile(1));  // PostgreSQL's NaN > 1
}

TEST(DurationHistogramMerge, EqualsTheHistogramOfTheUnion) {
  const std::initializer_list<double> a = {0.0002, 0.5, 3, 3.01, 7200};
  const std::initializer_list<double> b = {1e-5, 0.5, 12, 86400 * 30.0};
  DurationHistogram merged = Of(a);
  merged.Merge(Of(b));  // extends both ends
  DurationHistogram both = Of(a);
  for (double s : b) both.Add(s);
  EXPECT_EQ(merged, both);
  EXPECT_EQ(merged.Count(), 9);
  for (double p : {0.0, 0.1, 0.5, 0.95, 1.0}) EXPECT_EQ(merged.Percentile(p), both.Percentile(p));

  DurationHistogram inner = Of({1, 100});
  inner.Merge(Of({10}));  // inside the span
  EXPECT_EQ(inner, Of({1, 10, 100}));
  DurationHistogram empty;
  empty.Merge(inner);
  EXPECT_EQ(empty, inner);
  inner.Merge(DurationHistogram());
  EXPECT_EQ(inner, Of({1, 10, 100}));
}

TEST(DurationHistogramJson, WritesTheSpanOfBinsUsed) {
  EXPECT_EQ(Json(Of({1.0, 1.0, 1.1})), R"({"first_bin":142,"counts":[2,0,1]})");
  EXPECT_EQ(Json(DurationHistogram()), "null");
  std::string bins;
  DurationHistogram::AppendBinsJson(bins);
  EXPECT_EQ(bins, R"({"bin0_upper_s":0.001,"growth":1.05,"max_bin":1000})");
}

TEST(DurationHistogramJson, RoundTrips) {
  for (const DurationHistogram& h :
       {DurationHistogram(), Of({0}), Of({1e-4, 0.5, 3, 3, 7200, 1e30}), Of({1e19, 1e20})}) {
    auto back = DurationHistogram::FromJsonText(Json(h));
    ASSERT_TRUE(back.ok()) << Json(h) << ": " << back.error().message;
    EXPECT_EQ(*back, h) << Json(h);
  }
}

TEST(DurationHistogramJson, ZerosAtTheEndsAreDropped) {
  auto h = DurationHistogram::FromJsonText(R"({"first_bin":5,"counts":[0,3,0,4,0]})");
  ASSERT_TRUE(h.ok()) << h.error().message;
  EXPECT_EQ(h->FirstBin(), 6);
  EXPECT_EQ(h->Counts(), (std::vector<std::int64_t>{3, 0, 4}));
  EXPECT_EQ(h->Count(), 7);
  for (const char* empty :
       {R"({"first_bin":0,"counts":[]})", R"({"counts":[0,0],"first_bin":9})"}) {
    auto e = DurationHistogram::FromJsonText(empty);
    ASSERT_TRUE(e.ok()) << empty;
    EXPECT_TRUE(e->Empty()) << empty;
  }
  auto top = DurationHistogram::FromJsonText(R"({"first_bin":999,"counts":[1,2]})");
  ASSERT_TRUE(top.ok());
  EXPECT_EQ(top->Count(), 3);
}

TEST(DurationHistogramJson, MalformedFormsAreRefused) {
  for (const char* text :
       {R"({"first_bin":1,"counts":[1,-1]})",                   // negative count
        R"({"first_bin":1001,"counts":[1]})",                   // bin out of range
        R"({"first_bin":-1,"counts":[1]})",                     //
        R"({"first_bin":999,"counts":[1,1,1]})",                // past bin 1000
        R"({"first_bin":1.5,"counts":[1]})",                    // not an integer
        R"({"first_bin":1,"counts":[1.0]})",                    //
        R"({"first_bin":1,"counts":[1e30]})",                   //
        R"({"first_bin":1,"counts":[18446744073709551615]})",   // past int64
        R"({"first_bin":1,"counts":[9223372036854775807,1]})",  // total past int64
        R"({"first_bin":"1","counts":[1]})",                    // wrong types
        R"({"first_bin":1,"counts":"1"})",                      //
        R"({"first_bin":1,"counts":[null]})",                   //
        R"({"first_bin":1,"counts":[[1]]})",                    //
        R"({"first_bin":1})",                                   // missing member
        R"({"counts":[1]})",                                    //
        R"({"first_bin":1,"counts":[1],"sum":3})",              // unknown member
        R"([1,2])",
        R"(3)",
        R"("h")",
        R"(true)"}) {
    auto h = DurationHistogram::FromJsonText(text);
    ASSERT_FALSE(h.ok()) << text;
    EXPECT_EQ(h.error().kind, core::ErrorKind::kInvalidInput) << text;
    EXPECT_EQ(h.error().code, "invalid_histogram") << text;
    EXPECT_EQ(h.error().field, "histogram") << text;
  }
  for (const char* text : {"", "{", R"({"first_bin":1,"counts":[1,]})", "nul"}) {
    auto h = DurationHistogram::FromJsonText(text);
    ASSERT_FALSE(h.ok()) << text;
    EXPECT_EQ(h.error().kind, core::ErrorKind::kMalformed) << text;
  }
}

}  // namespace
}  // namespace dataplane::api
