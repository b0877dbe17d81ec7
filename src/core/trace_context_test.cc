// Tests of W3C traceparent parsing: what continues a trace, what starts a new one.
#include "core/trace_context.h"

#include <initializer_list>
#include <set>
#include <string>

#include <gtest/gtest.h>

namespace dataplane::core {
namespace {

constexpr char kTrace[] = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr char kParent[] = "00f067aa0ba902b7";

bool IsHex(const std::string& text, std::size_t digits) {
  return text.size() == digits && text.find_first_not_of("0123456789abcdef") == std::string::npos &&
         text.find_first_not_of('0') != std::string::npos;
}

TEST(TraceContextTest, AValidTraceparentIsContinued) {
  const TraceContext t =
      TraceContext::FromTraceparent(std::string("00-") + kTrace + "-" + kParent + "-01");
  EXPECT_EQ(t.trace_id, kTrace);
  EXPECT_EQ(t.parent_span_id, kParent);
  EXPECT_TRUE(IsHex(t.span_id, 16));
  EXPECT_NE(t.span_id, kParent);
  EXPECT_TRUE(t.sampled);
  EXPECT_EQ(t.Traceparent(), std::string("00-") + kTrace + "-" + t.span_id + "-01");
}

TEST(TraceContextTest, TheSampledFlagIsKept) {
  const TraceContext t =
      TraceContext::FromTraceparent(std::string("00-") + kTrace + "-" + kParent + "-00");
  EXPECT_FALSE(t.sampled);
  EXPECT_TRUE(t.Traceparent().ends_with("-00"));
}

TEST(TraceContextTest, AHigherVersionIsReadByItsFirstFourFields) {
  const TraceContext t = TraceContext::FromTraceparent(std::string("01-") + kTrace + "-" + kParent +
                                                       "-01-what-comes-next");
  EXPECT_EQ(t.trace_id, kTrace);
  EXPECT_EQ(t.parent_span_id, kParent);
}

TEST(TraceContextTest, AnythingInvalidStartsANewTrace) {
  const std::string parent(kParent), trace(kTrace);
  for (const std::string& invalid : std::initializer_list<std::string>{
           std::string(), "garbage",
           "00-" + trace + "-" + parent,                             // no flags
           "00-" + trace + "-" + parent + "-01-extra",               // version 00 is exact
           "ff-" + trace + "-" + parent + "-01",                     // forbidden version
           "00-" + std::string(32, '0') + "-" + parent + "-01",      // zero trace id
           "00-" + trace + "-" + std::string(16, '0') + "-01",       // zero parent
           "00-4BF92F3577B34DA6A3CE929D0E0E4736-" + parent + "-01",  // upper case
           "00-" + trace + "-" + parent + "-0g",                     // bad flags
           "00_" + trace + "-" + parent + "-01",                     // bad separator
       }) {
    const TraceContext t = TraceContext::FromTraceparent(invalid);
    EXPECT_TRUE(IsHex(t.trace_id, 32)) << invalid;
    EXPECT_NE(t.trace_id, trace) << invalid;
    EXPECT_EQ(t.parent_span_id, "") << invalid;
    EXPECT_TRUE(IsHex(t.span_id, 16)) << invalid;
    EXPECT_TRUE(t.sampled) << invalid;
  }
}

TEST(TraceContextTest, NewIdsDiffer) {
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) ids.insert(TraceContext::FromTraceparent("").trace_id);
  EXPECT_EQ(ids.size(), 1000u);
}

}  // namespace
}  // namespace dataplane::core
