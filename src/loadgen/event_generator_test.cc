#include "loadgen/event_generator.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>
#include <map>
#include <set>

#include "core/time.h"
#include "core/uuid.h"

namespace dataplane::loadgen {
namespace {

namespace json = boost::json;

const std::set<std::string> kKinds = {"started",  "progress", "metric",
                                      "finished", "error",    "canceled"};
const std::set<std::string> kStatuses = {"running", "succeeded", "failed", "canceled"};

bool IsUuidV4(std::string_view s) {
  return core::IsUuid(s) && s[14] == '4' && std::string_view("89ab").find(s[19]) != s.npos;
}

std::string Str(const json::value& v) { return std::string(v.as_string()); }

bool IsTerminal(const json::object& event) {
  const std::string kind = Str(event.at("kind"));
  return kind == "finished" || kind == "error" || kind == "canceled";
}

// Checks the SPEC §2 shape of one event; returns it parsed.
json::object CheckEvent(const std::string& text, const std::set<std::string>& sites) {
  json::object e = json::parse(text).as_object();
  EXPECT_TRUE(IsUuidV4(Str(e.at("idempotency_key")))) << text;
  EXPECT_TRUE(sites.count(Str(e.at("site_id")))) << text;
  const auto& app = e.at("app").as_object();
  EXPECT_TRUE(core::IsUuid(Str(app.at("app_id")))) << text;
  EXPECT_FALSE(app.at("name").as_string().empty());
  EXPECT_FALSE(app.at("version").as_string().empty());
  const auto& entity = e.at("entity").as_object();
  EXPECT_TRUE(core::IsUuid(Str(entity.at("id")))) << text;
  EXPECT_EQ(Str(entity.at("business_key")).rfind("lot-", 0), 0u) << text;
  const std::string type = Str(entity.at("type"));
  if (type == "job") {
    EXPECT_TRUE(entity.at("parent_id").is_null()) << text;
    EXPECT_TRUE(entity.at("sub_key").is_null()) << text;
  } else {
    EXPECT_EQ(type, "subjob");
    EXPECT_TRUE(core::IsUuid(Str(entity.at("parent_id")))) << text;
    const std::string sub_key = Str(entity.at("sub_key"));
    EXPECT_EQ(sub_key.size(), 8u) << text;
    EXPECT_EQ(sub_key.rfind("wafer-", 0), 0u) << text;
  }
  const auto& event = e.at("event").as_object();
  EXPECT_TRUE(kKinds.count(Str(event.at("kind")))) << text;
  EXPECT_TRUE(kStatuses.count(Str(event.at("status")))) << text;
  auto at = core::ParseRfc3339(Str(event.at("at")));
  EXPECT_TRUE(at.ok()) << text;
  if (at.ok()) {
    EXPECT_LT(std::llabs(*at - core::NowMicros()), 60 * core::kMicrosPerSecond);
  }
  EXPECT_TRUE(event.at("metadata").is_object());
  EXPECT_TRUE(event.at("metadata").as_object().contains("tool")) << text;
  if (IsTerminal(event)) {
    const auto& metrics = event.at("metrics").as_object();
    for (const char* name : {"duration_s", "cpu_user_s", "cpu_system_s", "mem_max_mb"}) {
      EXPECT_TRUE(metrics.contains(name)) << name << " in " << text;
      if (!metrics.contains(name)) continue;
      const double v = metrics.at(name).to_number<double>();
      EXPECT_TRUE(std::isfinite(v) && v >= 0) << text;
    }
  }
  return e;
}

TEST(EventGeneratorTest, EventsHaveTheSpecFields) {
  EventGenerator gen({"fab1", "fab2"}, 1);
  std::set<std::string> seen_sites;
  for (int i = 0; i < 2000; ++i) {
    json::object e = CheckEvent(gen.Next(), {"fab1", "fab2"});
    seen_sites.insert(Str(e.at("site_id")));
    if (HasFatalFailure() || HasNonfatalFailure()) return;
  }
  EXPECT_EQ(seen_sites.size(), 2u);
}

TEST(EventGeneratorTest, IdempotencyKeysAreUnique) {
  EventGenerator gen({"fab1"}, 2);
  std::set<std::string> keys;
  for (int i = 0; i < 10000; ++i) {
    keys.insert(Str(json::parse(gen.Next()).at("idempotency_key")));
  }
  EXPECT_EQ(keys.size(), 10000u);
}

TEST(EventGeneratorTest, LifecyclesAreComplete) {
  struct Entity {
    bool started = false, ended = false;
    std::string parent;
    std::string type;
    core::Micros last_at = 0;
  };
  std::map<std::string, Entity> entities;
  std::map<std::string, std::string> job_status;  // terminal job id -> status
  std::map<std::string, int> open_subjobs;        // job id -> subjobs started, not ended
  EventGenerator gen({"fab1"}, 3);
  for (int i = 0; i < 50000; ++i) {
    const std::string text = gen.Next();
    const json::object e = json::parse(text).as_object();
    const auto& entity = e.at("entity").as_object();
    const auto& event = e.at("event").as_object();
    const std::string id = Str(entity.at("id"));
    const std::string kind = Str(event.at("kind"));
    const core::Micros at = *core::ParseRfc3339(Str(event.at("at")));
    Entity& ent = entities[id];
    ASSERT_FALSE(ent.ended) << "event after the end: " << text;
    ASSERT_TRUE(ent.started || kind == "started") << "no started first: " << text;
    ASSERT_GT(at, ent.last_at) << text;
    ent.last_at = at;
    ent.type = Str(entity.at("type"));
    if (ent.type == "subjob") {
      const std::string parent = Str(entity.at("parent_id"));
      ASSERT_TRUE(entities.count(parent) && entities[parent].started) << text;
      ASSERT_FALSE(entities[parent].ended) << "subjob after its job ended: " << text;
      ent.parent = parent;
      if (kind == "started") ++open_subjobs[parent];
      if (IsTerminal(event)) --open_subjobs[parent];
    }
    if (kind == "started") ent.started = true;
    if (IsTerminal(event)) {
      ent.ended = true;
      if (ent.type == "job") {
        EXPECT_EQ(open_subjobs[id], 0) << "job ended with open subjobs: " << text;
        job_status[id] = Str(event.at("status"));
      }
    }
  }
  ASSERT_GT(job_status.size(), 500u);
  std::map<std::string, int> by_status;
  for (const auto& [id, status] : job_status) ++by_status[status];
  const double n = static_cast<double>(job_status.size());
  EXPECT_NEAR(by_status["succeeded"] / n, 0.85, 0.06);
  EXPECT_NEAR(by_status["failed"] / n, 0.10, 0.05);
  EXPECT_NEAR(by_status["canceled"] / n, 0.05, 0.04);
}

TEST(EventGeneratorTest, BatchIsAJsonArrayOfNEvents) {
  EventGenerator gen({"fab1"}, 4);
  const json::array batch = json::parse(gen.NextBatch(25)).as_array();
  ASSERT_EQ(batch.size(), 25u);
  for (const auto& item : batch) CheckEvent(json::serialize(item), {"fab1"});
  EXPECT_EQ(gen.NextBatch(0), "[]");
}

std::string WithoutTime(const std::string& text) {
  json::object e = json::parse(text).as_object();
  e.at("event").as_object().erase("at");
  return json::serialize(e);
}

TEST(EventGeneratorTest, FixedSeedIsReproducible) {
  EventGenerator a({"fab1", "fab2"}, 42);
  EventGenerator b({"fab1", "fab2"}, 42);
  EventGenerator c({"fab1", "fab2"}, 43);
  int differing = 0;
  for (int i = 0; i < 500; ++i) {
    const std::string ea = a.Next();
    ASSERT_EQ(WithoutTime(ea), WithoutTime(b.Next()));
    if (WithoutTime(ea) != WithoutTime(c.Next())) ++differing;
  }
  EXPECT_EQ(differing, 500);
}

TEST(EventGeneratorTest, AppIdIsFixedPerName) {
  std::map<std::string, std::string> ids;
  for (std::uint64_t seed : {5, 6, 7}) {
    EventGenerator gen({"fab1", "fab2", "fab3"}, seed);
    for (int i = 0; i < 500; ++i) {
      const json::object app = json::parse(gen.Next()).at("app").as_object();
      auto [it, inserted] = ids.emplace(Str(app.at("name")), Str(app.at("app_id")));
      ASSERT_EQ(it->second, Str(app.at("app_id"))) << it->first;
    }
  }
  std::set<std::string> distinct;
  for (const auto& [name, id] : ids) distinct.insert(id);
  EXPECT_EQ(distinct.size(), ids.size());
  EXPECT_GE(ids.size(), 4u);
}

TEST(EventGeneratorTest, RandomUuidV4HasVersionAndVariant) {
  std::mt19937_64 rng(9);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(IsUuidV4(core::FormatUuid(RandomUuidV4(rng))));
}

}  // namespace
}  // namespace dataplane::loadgen
