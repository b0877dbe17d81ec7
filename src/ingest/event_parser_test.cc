// Tests of event validation (SPEC §2): a table of one-mutation variants of a valid event, each
// accepted or refused with an exact code and field. The batch forms: batch_parser_test.cc.
#include "ingest/event_parser.h"
#include "ingest/event_test_data.h"

#include <concepts>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace dataplane::ingest {
using api::EntityType;
using api::EventKind;
using api::JobStatus;
namespace {

namespace json = boost::json;
using core::ErrorKind;
using core::Micros;

using namespace test_data;  // NOLINT: the shared constants read best unqualified

struct Case {
  std::string name;
  Mutation mutate;
  std::string code;                                // empty when the event must be accepted
  std::string field;                               // the field the refusal names
  std::optional<JobStatus> status = std::nullopt;  // for accepted events: the resolved status
};

std::ostream& operator<<(std::ostream& out, const Case& c) { return out << c.name; }

std::vector<Case> Cases() {
  const json::value kNull = nullptr;
  const std::string sixty_four(64, 's');
  const std::string umlaut = "\xC3\xA4";  // two bytes
  return {
      {"Base", [](json::value&) {}, "", "", JobStatus::kSucceeded},

      // idempotency_key: non-empty string, at most 128 bytes.
      {"KeyMissing", Remove("idempotency_key"), "missing_field", "idempotency_key"},
      {"KeyNull", Set("idempotency_key", kNull), "missing_field", "idempotency_key"},
      {"KeyEmpty", Set("idempotency_key", ""), "missing_field", "idempotency_key"},
      {"KeyNumber", Set("idempotency_key", 42), "wrong_type", "idempotency_key"},
      {"KeyObject", Set("idempotency_key", json::object{}), "wrong_type", "idempotency_key"},
      {"Key128Bytes", Set("idempotency_key", std::string(128, 'k')), "", ""},
      {"Key129Bytes", Set("idempotency_key", std::string(129, 'k')), "too_long", "idempotency_key"},
      {"Key128BytesMultiByte", Set("idempotency_key", std::string(96, 'k') + Repeat(umlaut, 16)),
       "", ""},
      {"Key129BytesMultiByte", Set("idempotency_key", std::string(127, 'k') + umlaut), "too_long",
       "idempotency_key"},

      // site_id: 1-64 chars of [A-Za-z0-9._-].
      {"SiteMissing", Remove("site_id"), "missing_field", "site_id"},
      {"SiteEmpty", Set("site_id", ""), "missing_field", "site_id"},
      {"SiteNumber", Set("site_id", 1), "wrong_type", "site_id"},
      {"Site64Chars", Set("site_id", sixty_four), "", ""},
      {"Site65Chars", Set("site_id", sixty_four + "s"), "too_long", "site_id"},
      {"SiteAllAllowedChars", Set("site_id", "Fab-1.north_B9"), "", ""},
      {"SiteWithSpace", Set("site_id", "fab 1"), "invalid_site_id", "site_id"},
      {"SiteWithSlash", Set("site_id", "fab/1"), "invalid_site_id", "site_id"},
      {"SiteWithUmlaut",
       Set("site_id",
           "f\xC3\xA4"
           "b"),
       "invalid_site_id", "site_id"},
      {"SiteWithColon", Set("site_id", "fab:1"), "invalid_site_id", "site_id"},

      // app
      {"AppMissing", Remove("app"), "missing_field", "app"},
      {"AppNull", Set("app", kNull), "missing_field", "app"},
      {"AppString", Set("app", "litho-scan"), "wrong_type", "app"},
      {"AppArray", Set("app", json::array{}), "wrong_type", "app"},
      {"AppIdMissing", Remove("app.app_id"), "missing_field", "app.app_id"},
      {"AppIdNotUuid", Set("app.app_id", "litho-scan"), "invalid_uuid", "app.app_id"},
      {"AppIdBraces", Set("app.app_id", "{6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b}"), "invalid_uuid",
       "app.app_id"},
      {"AppIdNumber", Set("app.app_id", 7), "wrong_type", "app.app_id"},
      {"AppNameMissing", Remove("app.name"), "missing_field", "app.name"},
      {"AppNameEmpty", Set("app.name", ""), "missing_field", "app.name"},
      {"AppNameNumber", Set("app.name", 3), "wrong_type", "app.name"},
      {"AppNameTooLong", Set("app.name", std::string(257, 'n')), "too_long", "app.name"},
      {"AppVersionMissing", Remove("app.version"), "", ""},
      {"AppVersionNumber", Set("app.version", 1.4), "wrong_type", "app.version"},

      // entity
      {"EntityMissing", Remove("entity"), "missing_field", "entity"},
      {"EntityString", Set("entity", "job"), "wrong_type", "entity"},
      {"EntityTypeMissing", Remove("entity.type"), "missing_field", "entity.type"},
      {"EntityTypeInvalid", Set("entity.type", "task"), "invalid_enum", "entity.type"},
      {"EntityTypeUpperCase", Set("entity.type", "Job"), "invalid_enum", "entity.type"},
      {"EntityIdMissing", Remove("entity.id"), "missing_field", "entity.id"},
      {"EntityIdNotUuid", Set("entity.id", "job-42"), "invalid_uuid", "entity.id"},
      {"EntityIdNoHyphens", Set("entity.id", "0e8f7a6b5c4d4e3f9a2b1c0d9e8f7a6b"), "invalid_uuid",
       "entity.id"},
      {"SubjobWithoutParent", Both(Set("entity.type", "subjob"), Remove("entity.parent_id")),
       "missing_field", "entity.parent_id"},
      {"SubjobWithNullParent", Set("entity.type", "subjob"), "missing_field", "entity.parent_id"},
      {"SubjobWithParent", Both(Set("entity.type", "subjob"), Set("entity.parent_id", kParentId)),
       "", ""},
      {"JobWithParent", Set("entity.parent_id", kParentId), "", ""},
      {"ParentIdNotUuid", Set("entity.parent_id", "lot-4711"), "invalid_uuid", "entity.parent_id"},
      {"ParentIdEmpty", Set("entity.parent_id", ""), "missing_field", "entity.parent_id"},
      {"ParentIdNumber", Set("entity.parent_id", 5), "wrong_type", "entity.parent_id"},
      {"BusinessKeyNumber", Set("entity.business_key", 4711), "wrong_type", "entity.business_key"},
      {"SubKeyTooLong", Set("entity.sub_key", std::string(257, 'w')), "too_long", "entity.sub_key"},

      // event.kind and event.status
      {"EventMissing", Remove("event"), "missing_field", "event"},
      {"EventArray", Set("event", json::array{}), "wrong_type", "event"},
      {"KindMissing", Remove("event.kind"), "missing_field", "event.kind"},
      {"KindInvalid", Set("event.kind", "done"), "invalid_enum", "event.kind"},
      {"KindUpperCase", Set("event.kind", "Started"), "invalid_enum", "event.kind"},
      {"KindNumber", Set("event.kind", 1), "wrong_type", "event.kind"},
      {"StartedDefaultsToRunning", KindOnly("started"), "", "", JobStatus::kRunning},
      {"ProgressDefaultsToRunning", KindOnly("progress"), "", "", JobStatus::kRunning},
      {"MetricDefaultsToRunning", KindOnly("metric"), "", "", JobStatus::kRunning},
      {"ErrorDefaultsToFailed", KindOnly("error"), "", "", JobStatus::kFailed},
      {"CanceledDefaultsToCanceled", KindOnly("canceled"), "", "", JobStatus::kCanceled},
      {"NullStatusTakesTheDefault", Both(Set("event.kind", "error"), Set("event.status", kNull)),
       "", "", JobStatus::kFailed},
      {"FinishedWithoutStatus", Remove("event.status"), "missing_field", "event.status"},
      {"FinishedWithNullStatus", Set("event.status", kNull), "missing_field", "event.status"},
      {"FinishedRunning", Set("event.status", "running"), "invalid_enum", "event.status"},
      {"FinishedSucceeded", Set("event.status", "succeeded"), "", "", JobStatus::kSucceeded},
      {"FinishedFailed", Set("event.status", "failed"), "", "", JobStatus::kFailed},
      {"FinishedCanceled", Set("event.status", "canceled"), "", "", JobStatus::kCanceled},
      {"ExplicitStatusBeatsDefault",
       Both(Set("event.kind", "progress"), Set("event.status", "failed")), "", "",
       JobStatus::kFailed},
      {"StatusInvalid", Set("event.status", "done"), "invalid_enum", "event.status"},
      {"StatusInvalidWithDefaultingKind",
       Both(Set("event.kind", "started"), Set("event.status", "ok")), "invalid_enum",
       "event.status"},
      {"StatusNumber", Set("event.status", 0), "wrong_type", "event.status"},

      // event.at
      {"AtMissing", Remove("event.at"), "missing_field", "event.at"},
      {"AtEmpty", Set("event.at", ""), "missing_field", "event.at"},
      {"AtNumber", Set("event.at", 1795928400), "wrong_type", "event.at"},
      {"AtNotATime", Set("event.at", "yesterday"), "invalid_time", "event.at"},
      {"AtWithoutOffset", Set("event.at", "2026-11-29T04:59:00.123456"), "invalid_time",
       "event.at"},
      {"AtInvalidDate", Set("event.at", "2026-02-29T04:59:00Z"), "invalid_time", "event.at"},
      {"AtWithOffset", Set("event.at", "2026-11-29T10:29:00+05:30"), "", ""},
      {"At299SecondsAhead", SetAt(kNow + 299 * kSecond), "", ""},
      {"At300SecondsAhead", SetAt(kNow + 300 * kSecond), "", ""},
      {"At301SecondsAhead", SetAt(kNow + 301 * kSecond), "event_in_future", "event.at"},
      {"AtADayAhead", SetAt(kNow + kDay), "event_in_future", "event.at"},
      {"AtJustInsideMaxAge", SetAt(kNow - 30 * kDay + kSecond), "", ""},
      {"AtExactlyMaxAge", SetAt(kNow - 30 * kDay), "", ""},
      {"AtJustPastMaxAge", SetAt(kNow - 30 * kDay - 1), "event_too_old", "event.at"},
      {"AtAYearOld", SetAt(kNow - 365 * kDay), "event_too_old", "event.at"},

      // event.metrics
      {"MetricsAbsent", Remove("event.metrics"), "", ""},
      {"MetricsNull", Set("event.metrics", kNull), "", ""},
      {"MetricsEmpty", Set("event.metrics", json::object{}), "", ""},
      {"NamedMetricNullIsAbsent", Set("event.metrics.duration_s", kNull), "", ""},
      {"OtherMetricNullIsAbsent", Set("event.metrics.wafer_count", kNull), "", ""},
      {"MetricsArray", Set("event.metrics", json::array{1, 2}), "wrong_type", "event.metrics"},
      {"MetricsNumber", Set("event.metrics", 5), "wrong_type", "event.metrics"},
      {"DurationAsString", Set("event.metrics.duration_s", "312.5"), "wrong_type",
       "event.metrics.duration_s"},
      {"MemAsBool", Set("event.metrics.mem_max_mb", true), "wrong_type",
       "event.metrics.mem_max_mb"},
      {"NegativeDuration", Set("event.metrics.duration_s", -1), "negative_value",
       "event.metrics.duration_s"},
      {"NegativeCpuUser", Set("event.metrics.cpu_user_s", -0.5), "negative_value",
       "event.metrics.cpu_user_s"},
      {"NegativeCpuSystem", Set("event.metrics.cpu_system_s", -3), "negative_value",
       "event.metrics.cpu_system_s"},
      {"NegativeMem", Set("event.metrics.mem_max_mb", -2048.5), "negative_value",
       "event.metrics.mem_max_mb"},
      {"ZeroMetrics", Set("event.metrics", json::object{{"duration_s", 0}, {"cpu_user_s", 0.0}}),
       "", ""},
      {"OtherMetricString", Set("event.metrics.wafers", "25"), "wrong_type",
       "event.metrics.wafers"},
      {"OtherMetricObject", Set("event.metrics.temps", json::object{{"a", 1}}), "wrong_type",
       "event.metrics.temps"},
      {"OtherMetricNegativeIsKept", Set("event.metrics.delta_c", -3.5), "", ""},
      {"OtherMetricInteger", Set("event.metrics.wafers", 25), "", ""},

      // event.metadata
      {"MetadataAbsent", Remove("event.metadata"), "", ""},
      {"MetadataNull", Set("event.metadata", kNull), "", ""},
      {"MetadataString", Set("event.metadata", "tool=ASML-07"), "wrong_type", "event.metadata"},
      {"MetadataArray", Set("event.metadata", json::array{"a"}), "wrong_type", "event.metadata"},
      {"MetadataNested",
       Set("event.metadata", json::object{{"a", json::array{1, json::object{{"b", nullptr}}}}}), "",
       ""},
      // {"k":"…"} serializes to 8 bytes plus the value.
      {"MetadataExactly64KiB",
       Set("event.metadata", json::object{{"k", std::string(64 * 1024 - 8, 'x')}}), "", ""},
      {"MetadataOver64KiB",
       Set("event.metadata", json::object{{"k", std::string(64 * 1024 - 7, 'x')}}), "too_large",
       "event.metadata"},
      {"MetadataNulInValue", Set("event.metadata.tool", std::string("ASML\0-07", 8)),
       "nul_character", "event.metadata.tool"},
      {"MetadataNulInKey",
       [](json::value& root) {
         root.at("event").at("metadata").as_object()[std::string_view("to\0ol", 5)] = "x";
       },
       "nul_character", "event.metadata"},
      {"MetadataNulDeepInArray",
       Set("event.metadata.list", json::array{"a", json::object{{"b", std::string("\0", 1)}}}),
       "nul_character", "event.metadata.list[1].b"},
      {"NulInAppName", Set("app.name", std::string("litho\0", 6)), "nul_character", "app.name"},

      // The body itself.
      {"TopLevelArray", [](json::value& root) { root = json::array{root}; }, "wrong_type",
       "event body"},
      {"TopLevelString", [](json::value& root) { root = "event"; }, "wrong_type", "event body"},
      {"TopLevelNull", [](json::value& root) { root = nullptr; }, "wrong_type", "event body"},
      {"UnknownTopLevelFieldIsKept", Set("agent", "v2"), "", ""},
  };
}

class EventRulesTest : public testing::TestWithParam<Case> {};

void ExpectOutcome(const core::Result<Event>& result, const Case& c, const char* via) {
  if (c.code.empty()) {
    ASSERT_TRUE(result.ok()) << via << ": refused with " << result.error().code << " on '"
                             << result.error().field << "': " << result.error().message;
    if (c.status) {
      EXPECT_EQ(ToString(result->status), ToString(*c.status)) << via;
    }
    return;
  }
  ASSERT_FALSE(result.ok()) << via << ": accepted";
  EXPECT_EQ(result.error().kind, ErrorKind::kInvalidInput) << via;
  EXPECT_EQ(result.error().code, c.code) << via << ": " << result.error().message;
  EXPECT_EQ(result.error().field, c.field) << via << ": " << result.error().message;
  EXPECT_FALSE(result.error().message.empty()) << via;
}

TEST_P(EventRulesTest, OneMutationOfAValidEvent) {
  const Case& c = GetParam();
  json::value event = BaseEvent();
  c.mutate(event);
  const ValidationLimits limits;
  ExpectOutcome(EventFromJson(event, limits, kNow), c, "EventFromJson");
  ExpectOutcome(ParseEvent(json::serialize(event), limits, kNow), c, "ParseEvent");
}

INSTANTIATE_TEST_SUITE_P(Table, EventRulesTest, testing::ValuesIn(Cases()),
                         [](const testing::TestParamInfo<Case>& info) { return info.param.name; });

TEST(EventParserTest, BaseEventFieldsAreAllRead) {
  auto event = EventFromJson(BaseEvent(), ValidationLimits{}, kNow);
  ASSERT_TRUE(event.ok()) << event.error().message;
  EXPECT_EQ(event->idempotency_key, kKey);
  EXPECT_EQ(event->site_id, "fab1");
  EXPECT_EQ(event->app_id, kAppId);
  EXPECT_EQ(event->app_name, "litho-scan");
  EXPECT_EQ(event->app_version, "1.4.2");
  EXPECT_EQ(event->entity_type, EntityType::kJob);
  EXPECT_EQ(event->entity_id, kJobId);
  EXPECT_EQ(event->parent_id, std::nullopt);
  EXPECT_EQ(event->business_key, "lot-4711");
  EXPECT_EQ(event->sub_key, std::nullopt);
  EXPECT_EQ(event->kind, EventKind::kFinished);
  EXPECT_EQ(event->status, JobStatus::kSucceeded);
  EXPECT_EQ(event->at, kBaseAt);
  EXPECT_EQ(event->duration_s, 312.5);
  EXPECT_EQ(event->cpu_user_s, 120.3);
  EXPECT_EQ(event->cpu_system_s, 10.2);
  EXPECT_EQ(event->mem_max_mb, 2048.5);
  EXPECT_EQ(json::parse(event->metadata_json), json::parse(R"({"tool":"ASML-07","recipe":"R12"})"));
}

TEST(EventParserTest, SubjobKeepsItsParentAndSubKey) {
  json::value body = BaseEvent();
  Set("entity.type", "subjob")(body);
  Set("entity.parent_id", kParentId)(body);
  Set("entity.sub_key", "wafer-07")(body);
  auto event = EventFromJson(body, ValidationLimits{}, kNow);
  ASSERT_TRUE(event.ok()) << event.error().message;
  EXPECT_EQ(event->entity_type, EntityType::kSubjob);
  EXPECT_EQ(event->parent_id, kParentId);
  EXPECT_EQ(event->sub_key, "wafer-07");
}

TEST(EventParserTest, UpperCaseUuidsAreCanonicalizedToLowerCase) {
  json::value body = BaseEvent();
  Set("app.app_id", "6F1C2A3B-4D5E-4F60-8A7B-9C0D1E2F3A4B")(body);
  Set("entity.id", "0E8F7A6B-5c4d-4E3F-9a2b-1C0D9E8F7A6B")(body);
  Set("entity.parent_id", "A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D")(body);
  auto event = EventFromJson(body, ValidationLimits{}, kNow);
  ASSERT_TRUE(event.ok()) << event.error().message;
  EXPECT_EQ(event->app_id, kAppId);
  EXPECT_EQ(event->entity_id, kJobId);
  EXPECT_EQ(event->parent_id, kParentId);
}

TEST(EventParserTest, PayloadIsTheWholeEventIncludingExtraMetricsAndFields) {
  json::value body = BaseEvent();
  Set("event.metrics.wafers", 25)(body);
  Set("event.metrics.delta_c", -3.5)(body);
  Set("agent", json::object{{"version", "2.1"}})(body);
  auto event = ParseEvent(json::serialize(body), ValidationLimits{}, kNow);
  ASSERT_TRUE(event.ok()) << event.error().message;
  const json::value payload = json::parse(event->payload_json);
  EXPECT_EQ(payload, body);
  EXPECT_EQ(payload.at("event").at("metrics").at("wafers"), json::value(25));
  EXPECT_EQ(payload.at("event").at("metrics").at("delta_c"), json::value(-3.5));
  EXPECT_EQ(event->duration_s, 312.5);
}

TEST(EventParserTest, MetadataDefaultsToAnEmptyObject) {
  for (const Mutation& mutate : {Remove("event.metadata"), Set("event.metadata", nullptr)}) {
    json::value body = BaseEvent();
    mutate(body);
    auto event = EventFromJson(body, ValidationLimits{}, kNow);
    ASSERT_TRUE(event.ok()) << event.error().message;
    EXPECT_EQ(event->metadata_json, "{}");
  }
}

TEST(EventParserTest, AbsentMetricsStayUnset) {
  json::value body = BaseEvent();
  Set("event.metrics", json::object{{"duration_s", 1.5}})(body);
  auto event = EventFromJson(body, ValidationLimits{}, kNow);
  ASSERT_TRUE(event.ok()) << event.error().message;
  EXPECT_EQ(event->duration_s, 1.5);
  EXPECT_EQ(event->cpu_user_s, std::nullopt);
  EXPECT_EQ(event->cpu_system_s, std::nullopt);
  EXPECT_EQ(event->mem_max_mb, std::nullopt);
}

TEST(EventParserTest, AtKeepsMicrosecondsAndNormalizesTheOffset) {
  json::value body = BaseEvent();
  Set("event.at", "2026-11-29T10:29:00.123456789+05:30")(body);
  auto event = EventFromJson(body, ValidationLimits{}, kNow);
  ASSERT_TRUE(event.ok()) << event.error().message;
  EXPECT_EQ(event->at, kBaseAt);
}

TEST(EventParserTest, LimitsAreConfigurable) {
  ValidationLimits limits;
  limits.max_future_skew = 10 * kSecond;
  limits.max_event_age_days = 1;
  limits.max_metadata_bytes = 40;  // the base event's metadata takes 34
  const auto code_for = [&](const Mutation& mutate) -> std::string {
    json::value body = BaseEvent();
    mutate(body);
    auto event = EventFromJson(body, limits, kNow);
    return event.ok() ? "ok" : event.error().code;
  };
  EXPECT_EQ(code_for(SetAt(kNow + 10 * kSecond)), "ok");
  EXPECT_EQ(code_for(SetAt(kNow + 11 * kSecond)), "event_in_future");
  EXPECT_EQ(code_for(SetAt(kNow - kDay)), "ok");
  EXPECT_EQ(code_for(SetAt(kNow - kDay - 1)), "event_too_old");
  EXPECT_EQ(code_for(Set("event.metadata", json::object{{"k", std::string(32, 'x')}})), "ok");
  EXPECT_EQ(code_for(Set("event.metadata", json::object{{"k", std::string(33, 'x')}})),
            "too_large");
}

TEST(EventParserTest, SyntaxErrorsOfASingleBody) {
  const ValidationLimits limits;
  auto truncated = ParseEvent(R"({"idempotency_key": "k", "site_id": )", limits, kNow);
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.error().code, "malformed_json");
  auto utf8 = ParseEvent("{\"idempotency_key\": \"\xC0\xAF\"}", limits, kNow);
  ASSERT_FALSE(utf8.ok());
  EXPECT_EQ(utf8.error().code, "invalid_utf8");
  auto deep = ParseEvent(std::string(100, '[') + std::string(100, ']'), limits, kNow);
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.error().code, "too_deeply_nested");
  auto huge = ParseEvent(R"({"idempotency_key": "k", "x": 1e400})", limits, kNow);
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().code, "malformed_json");
}

// ---- batches ----

}  // namespace
}  // namespace dataplane::ingest
