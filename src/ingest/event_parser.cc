#include "ingest/event_parser.h"

#include <cmath>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/serialize.hpp>

#include "core/json_parse.h"
#include "core/utf8.h"
#include "core/uuid.h"

namespace dataplane::ingest {
using api::EntityType;
using api::EventKind;
using api::JobStatus;
namespace json = boost::json;
using core::Error;
using core::Result;

namespace {

constexpr std::size_t kMaxKeyBytes = 128;
constexpr std::size_t kMaxSiteChars = 64;
constexpr std::size_t kMaxTextBytes = 256;

// Field names are string_views into literals: the std::string is built only for an error.
Error Missing(std::string_view field) {
  return Error::Invalid("missing_field", std::string(field), std::string(field) + " is required");
}
Error WrongType(std::string_view field, const char* expected) {
  return Error::Invalid("wrong_type", std::string(field),
                        std::string(field) + " must be " + expected);
}
Error Invalid(std::string_view field, std::string message, std::string code = "invalid_value") {
  return Error::Invalid(std::move(code), std::string(field), std::string(field) + ": " + message);
}

Result<const json::object*> RequireObject(const json::object& parent, const char* key,
                                          std::string_view field) {
  const json::value* v = parent.if_contains(key);
  if (v == nullptr || v->is_null()) return Missing(field);
  if (!v->is_object()) return WrongType(field, "an object");
  return &v->get_object();
}

// A string field; absent/null gives nullopt unless required.
Result<std::optional<std::string>> OptionalString(const json::object& parent, const char* key,
                                                  std::string_view field, std::size_t max_bytes) {
  const json::value* v = parent.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) return WrongType(field, "a string");
  const json::string& s = v->get_string();
  if (s.size() > max_bytes) {
    return Invalid(field, "at most " + std::to_string(max_bytes) + " bytes", "too_long");
  }
  return std::optional<std::string>(std::string(s));
}

Result<std::string> RequiredString(const json::object& parent, const char* key,
                                   std::string_view field, std::size_t max_bytes) {
  auto s = OptionalString(parent, key, field, max_bytes);
  if (!s) return s.error();
  if (!s.value() || s.value()->empty()) return Missing(field);
  return std::move(*s.value());
}

Result<std::string> RequiredUuid(const json::object& parent, const char* key,
                                 std::string_view field) {
  auto s = RequiredString(parent, key, field, 64);
  if (!s) return s.error();
  auto uuid = core::ParseUuid(*s);
  if (!uuid) return Invalid(field, uuid.error().message, "invalid_uuid");
  return core::FormatUuid(*uuid);
}

bool IsSiteChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

// Finds the first string (or object key) holding a NUL character; `path` is then its dotted
// path ("event.metadata.list[1].b"; for a key, the path of its object). Recursion is bounded
// by the parser's depth limit.
bool FindNul(const json::value& v, std::string& path) {
  switch (v.kind()) {
    case json::kind::string:
      return v.get_string().find('\0') != json::string::npos;
    case json::kind::array: {
      const std::size_t size = path.size();
      std::size_t index = 0;
      for (const auto& e : v.get_array()) {
        path += "[" + std::to_string(index++) + "]";
        if (FindNul(e, path)) return true;
        path.resize(size);
      }
      return false;
    }
    case json::kind::object: {
      const std::size_t size = path.size();
      for (const auto& kv : v.get_object()) {
        if (kv.key().find('\0') != std::string_view::npos) return true;
        if (!path.empty()) path += '.';
        path += kv.key();
        if (FindNul(kv.value(), path)) return true;
        path.resize(size);
      }
      return false;
    }
    default:
      return false;
  }
}

Result<std::optional<double>> NamedMetric(const json::object& metrics, const char* key) {
  const json::value* v = metrics.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<double>();
  auto field = [key] { return std::string("event.metrics.") + key; };
  if (!v->is_number()) return WrongType(field(), "a number");
  const double d = v->to_number<double>();
  if (!std::isfinite(d)) return Invalid(field(), "must be finite", "not_finite");
  if (d < 0) return Invalid(field(), "must not be negative", "negative_value");
  return std::optional<double>(d);
}

core::Status ParseMetrics(const json::object& ev, Event& out) {
  const json::value* v = ev.if_contains("metrics");
  if (v == nullptr || v->is_null()) return core::OkStatus();
  if (!v->is_object()) return WrongType("event.metrics", "an object");
  const json::object& metrics = v->get_object();
  for (const auto& kv : metrics) {
    if (kv.value().is_null()) continue;  // an unmeasured metric: absent
    if (!kv.value().is_number()) {
      return WrongType("event.metrics." + std::string(kv.key()), "a number");
    }
    if (!std::isfinite(kv.value().to_number<double>())) {
      return Invalid("event.metrics." + std::string(kv.key()), "must be finite", "not_finite");
    }
  }
  std::optional<double>* targets[] = {&out.duration_s, &out.cpu_user_s, &out.cpu_system_s,
                                      &out.mem_max_mb};
  const char* names[] = {"duration_s", "cpu_user_s", "cpu_system_s", "mem_max_mb"};
  for (int i = 0; i < 4; ++i) {
    auto m = NamedMetric(metrics, names[i]);
    if (!m) return m.error();
    *targets[i] = *m;
  }
  return core::OkStatus();
}

core::Status ParseApp(const json::object& root, Event& out) {
  auto app = RequireObject(root, "app", "app");
  if (!app) return app.error();
  auto id = RequiredUuid(**app, "app_id", "app.app_id");
  if (!id) return id.error();
  auto name = RequiredString(**app, "name", "app.name", kMaxTextBytes);
  if (!name) return name.error();
  auto version = OptionalString(**app, "version", "app.version", kMaxTextBytes);
  if (!version) return version.error();
  out.app_id = std::move(*id);
  out.app_name = std::move(*name);
  out.app_version = std::move(*version);
  return core::OkStatus();
}

core::Status ParseEntity(const json::object& root, Event& out) {
  auto entity = RequireObject(root, "entity", "entity");
  if (!entity) return entity.error();
  auto type = RequiredString(**entity, "type", "entity.type", 16);
  if (!type) return type.error();
  if (*type == "job") {
    out.entity_type = EntityType::kJob;
  } else if (*type == "subjob") {
    out.entity_type = EntityType::kSubjob;
  } else {
    return Invalid("entity.type", "must be \"job\" or \"subjob\"", "invalid_enum");
  }
  auto id = RequiredUuid(**entity, "id", "entity.id");
  if (!id) return id.error();
  out.entity_id = std::move(*id);
  const json::value* parent = (*entity)->if_contains("parent_id");
  if (parent != nullptr && !parent->is_null()) {
    auto parent_id = RequiredUuid(**entity, "parent_id", "entity.parent_id");
    if (!parent_id) return parent_id.error();
    out.parent_id = std::move(*parent_id);
  } else if (out.entity_type == EntityType::kSubjob) {
    return Error::Invalid("missing_field", "entity.parent_id",
                          "entity.parent_id is required for a subjob (the id of its job)");
  }
  auto business_key =
      OptionalString(**entity, "business_key", "entity.business_key", kMaxTextBytes);
  if (!business_key) return business_key.error();
  auto sub_key = OptionalString(**entity, "sub_key", "entity.sub_key", kMaxTextBytes);
  if (!sub_key) return sub_key.error();
  out.business_key = std::move(*business_key);
  out.sub_key = std::move(*sub_key);
  return core::OkStatus();
}

core::Status ParseWhen(const json::object& ev, const ValidationLimits& limits, core::Micros now,
                       Event& out) {
  auto at_text = RequiredString(ev, "at", "event.at", 64);
  if (!at_text) return at_text.error();
  auto at = core::ParseRfc3339(*at_text);
  if (!at) return Invalid("event.at", at.error().message, "invalid_time");
  if (*at > now + limits.max_future_skew) {
    return Invalid("event.at",
                   "more than " + std::to_string(limits.max_future_skew / core::kMicrosPerSecond) +
                       " s in the future (check the agent's clock)",
                   "event_in_future");
  }
  const core::Micros max_age =
      static_cast<core::Micros>(limits.max_event_age_days) * 86400 * core::kMicrosPerSecond;
  if (*at < now - max_age) {
    return Invalid("event.at",
                   "older than MAX_EVENT_AGE_DAYS (" + std::to_string(limits.max_event_age_days) +
                       " days); such events are no longer accepted",
                   "event_too_old");
  }
  out.at = *at;
  return core::OkStatus();
}

core::Status ParseEventBody(const json::object& root, const ValidationLimits& limits,
                            core::Micros now, Event& out) {
  auto ev = RequireObject(root, "event", "event");
  if (!ev) return ev.error();
  auto kind_text = RequiredString(**ev, "kind", "event.kind", 16);
  if (!kind_text) return kind_text.error();
  auto kind = api::ParseEventKind(*kind_text);
  if (!kind) {
    return Invalid("event.kind",
                   "must be one of started, progress, metric, finished, error, canceled",
                   "invalid_enum");
  }
  out.kind = *kind;
  auto status_text = OptionalString(**ev, "status", "event.status", 16);
  if (!status_text) return status_text.error();
  std::optional<JobStatus> status = DefaultStatus(out.kind);
  if (*status_text) {
    status = api::ParseJobStatus(**status_text);
    if (!status) {
      return Invalid("event.status", "must be one of running, succeeded, failed, canceled",
                     "invalid_enum");
    }
  }
  if (!status)
    return Error::Invalid("missing_field", "event.status",
                          "event.status is required when event.kind is finished");
  if (out.kind == EventKind::kFinished && *status == JobStatus::kRunning) {
    return Invalid("event.status", "a finished event needs a final status", "invalid_enum");
  }
  out.status = *status;
  if (auto s = ParseWhen(**ev, limits, now, out); !s) return s;
  if (auto s = ParseMetrics(**ev, out); !s) return s;
  const json::value* metadata = (*ev)->if_contains("metadata");
  if (metadata != nullptr && !metadata->is_null()) {
    if (!metadata->is_object()) return WrongType("event.metadata", "an object");
    out.metadata_json = json::serialize(*metadata);
    if (out.metadata_json.size() > limits.max_metadata_bytes) {
      return Invalid("event.metadata",
                     "larger than " + std::to_string(limits.max_metadata_bytes) + " bytes",
                     "too_large");
    }
  } else {
    out.metadata_json = "{}";
  }
  return core::OkStatus();
}

}  // namespace

Result<Event> EventFromJson(const json::value& value, const ValidationLimits& limits,
                            core::Micros now) {
  if (!value.is_object()) return WrongType("event body", "a JSON object");
  const json::object& root = value.get_object();
  if (std::string path; FindNul(value, path)) {
    return Error::Invalid("nul_character", path,
                          path + ": strings must not contain the NUL character (\\u0000)");
  }
  Event out;
  auto key = RequiredString(root, "idempotency_key", "idempotency_key", kMaxKeyBytes);
  if (!key) return key.error();
  out.idempotency_key = std::move(*key);
  auto site = RequiredString(root, "site_id", "site_id", kMaxSiteChars);
  if (!site) return site.error();
  for (char c : *site) {
    if (!IsSiteChar(c))
      return Invalid("site_id", "only A-Z a-z 0-9 . _ - are allowed", "invalid_site_id");
  }
  out.site_id = std::move(*site);
  if (auto s = ParseApp(root, out); !s) return s.error();
  if (auto s = ParseEntity(root, out); !s) return s.error();
  if (auto s = ParseEventBody(root, limits, now, out); !s) return s.error();
  out.payload_json = json::serialize(value);
  return out;
}

Result<Event> ParseEvent(std::string_view body, const ValidationLimits& limits, core::Micros now) {
  // One arena per body: the parsed tree is freed at once instead of node by node.
  unsigned char buffer[8192];
  json::monotonic_resource arena(buffer, sizeof buffer);
  auto value = core::ParseJson(body, core::kDefaultMaxJsonDepth, &arena);
  if (!value) return value.error();
  return EventFromJson(*value, limits, now);
}

Result<std::vector<Result<Event>>> ParseBatch(std::string_view body, bool ndjson,
                                              const ValidationLimits& limits, core::Micros now) {
  const Error too_many{
      core::ErrorKind::kTooLarge,
      "batch_too_large",
      "a batch holds at most " + std::to_string(limits.max_batch_events) + " events",
      {}};
  std::vector<Result<Event>> items;
  if (!ndjson) {
    json::monotonic_resource arena(body.size() * 2 + 1024);
    auto value = core::ParseJson(body, core::kDefaultMaxJsonDepth, &arena);
    if (!value) return value.error();
    if (!value->is_array()) return WrongType("batch body", "a JSON array of events");
    const json::array& array = value->get_array();
    if (array.size() > limits.max_batch_events) return too_many;
    items.reserve(array.size());
    for (const json::value& element : array) items.push_back(EventFromJson(element, limits, now));
    return items;
  }
  if (!core::IsValidUtf8(body)) {
    return Error::Malformed("invalid_utf8", "request body is not valid UTF-8");
  }
  std::size_t start = 0;
  while (start < body.size()) {
    std::size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(start, end - start);
    start = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    if (items.size() == limits.max_batch_events) return too_many;
    items.push_back(ParseEvent(line, limits, now));
  }
  return items;
}

}  // namespace dataplane::ingest
