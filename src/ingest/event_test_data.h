#pragma once
// Test data shared by the event parser tests: a fixed "now" and the SPEC §2 example event.
#include <functional>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "core/time.h"

namespace dataplane::ingest::test_data {

namespace json = boost::json;
using core::Micros;

inline constexpr Micros kSecond = core::kMicrosPerSecond;
inline constexpr Micros kDay = 86400 * kSecond;
// 2026-11-29T05:00:00Z: the fixed "now" of every test, so that results never depend on the clock.
inline constexpr Micros kNow = 1795928400000000;
// The base event's time: a minute ago, with microseconds.
inline constexpr Micros kBaseAt = kNow - 60 * kSecond + 123456;

inline constexpr char kKey[] = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";
inline constexpr char kAppId[] = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
inline constexpr char kJobId[] = "0e8f7a6b-5c4d-4e3f-9a2b-1c0d9e8f7a6b";
inline constexpr char kParentId[] = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";

// The SPEC §2 example, at kBaseAt.
inline json::value BaseEvent() {
  json::value event = json::parse(R"({
    "idempotency_key": "1b4e28ba-2fa1-11d2-883f-0016d3cca427",
    "site_id": "fab1",
    "app": {"app_id": "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b", "name": "litho-scan",
            "version": "1.4.2"},
    "entity": {"type": "job", "id": "0e8f7a6b-5c4d-4e3f-9a2b-1c0d9e8f7a6b", "parent_id": null,
               "business_key": "lot-4711", "sub_key": null},
    "event": {"kind": "finished", "at": "", "status": "succeeded",
              "metrics": {"duration_s": 312.5, "cpu_user_s": 120.3, "cpu_system_s": 10.2,
                          "mem_max_mb": 2048.5},
              "metadata": {"tool": "ASML-07", "recipe": "R12"}}
  })");
  event.at("event").as_object()["at"] = core::FormatRfc3339(kBaseAt);
  return event;
}

// One change to an event, by dotted path ("event.metrics.duration_s").
using Mutation = std::function<void(json::value&)>;

// The object holding the last segment of a dotted path ("event.metrics.duration_s").
inline json::object& Parent(json::value& root, std::string_view path, std::string& last) {
  json::object* object = &root.as_object();
  std::size_t dot;
  while ((dot = path.find('.')) != std::string_view::npos) {
    object = &(*object)[path.substr(0, dot)].as_object();
    path.remove_prefix(dot + 1);
  }
  last = path;
  return *object;
}

inline Mutation Set(std::string path, json::value value) {
  return [path, value](json::value& root) {
    std::string last;
    Parent(root, path, last)[last] = value;
  };
}

// json::value has no constructor from std::string.
template <typename Text>
requires std::same_as<std::remove_cvref_t<Text>, std::string> Mutation Set(std::string path,
                                                                           Text&& text) {
  return Set(std::move(path), json::value(json::string_view(text)));
}

inline Mutation Remove(std::string path) {
  return [path](json::value& root) {
    std::string last;
    Parent(root, path, last).erase(last);
  };
}

inline Mutation Both(Mutation a, Mutation b) {
  return [a, b](json::value& root) {
    a(root);
    b(root);
  };
}

inline Mutation SetAt(Micros t) { return Set("event.at", json::value(core::FormatRfc3339(t))); }

// A kind without a status, to see the kind's default.
inline Mutation KindOnly(const char* kind) {
  return Both(Set("event.kind", json::value(kind)), Remove("event.status"));
}

inline std::string Repeat(const std::string& text, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += text;
  return out;
}

inline std::string Line(const json::value& v) { return json::serialize(v); }

}  // namespace dataplane::ingest::test_data
