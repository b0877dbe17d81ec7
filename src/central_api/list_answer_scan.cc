#include "central_api/list_answer_scan.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "core/json_scan.h"

namespace dataplane::central_api {
namespace {

using core::JsonScanner;

core::Error Shape(std::string what) {
  return core::Error::Malformed("bad_answer", "the answer is not a list of items: " + what);
}

core::Error NotJson(const JsonScanner& scanner) {
  return core::Error::Malformed("bad_answer",
                                "the answer is not JSON: " + scanner.status().error().message);
}

// The error for the value next, which is not of the kind the list needs (`what`); the value is
// skipped first, so that text that is not JSON there is named as such.
core::Error WrongKind(JsonScanner& reader, std::string what) {
  return reader.Value().empty() ? NotJson(reader) : Shape(std::move(what));
}

// A JSON string's decoded value (`quoted` includes its quotes): a view of the text itself when
// it has no escapes, else decoded into `decoded`.
std::string_view Decoded(std::string_view quoted, std::string& decoded) {
  const std::string_view inner = quoted.substr(1, quoted.size() - 2);
  if (inner.find('\\') == std::string_view::npos) return inner;
  boost::json::error_code ec;
  const boost::json::value value = boost::json::parse(quoted, ec);
  decoded = ec || !value.is_string() ? std::string(inner) : std::string(value.get_string());
  return decoded;
}

std::string Decoded(std::string_view quoted) {
  std::string decoded;
  return std::string(Decoded(quoted, decoded));
}

// Calls member(key, scanner) for each member of the object at the scanner, with the scanner at
// the member's value, which member must read; false when malformed or when member says so.
template <typename Member>
bool ForEachMember(JsonScanner& scanner, Member&& member) {
  if (!scanner.Enter('{')) return false;
  if (scanner.Leave('}')) return true;
  std::string decoded;  // a key with escapes
  do {
    const std::string_view key = scanner.String();
    if (key.empty()) return false;
    if (!scanner.Consume(':')) return scanner.Fail("expected ':'");
    scanner.Peek();
    if (!member(Decoded(key, decoded), scanner)) return false;
  } while (scanner.Consume(','));
  return scanner.Leave('}') || scanner.Fail("expected ',' or '}'");
}

core::Result<ScannedItem> ScanItem(JsonScanner& reader, std::string_view id_field) {
  if (reader.Peek() != '{') return WrongKind(reader, "an item is not an object");
  ScannedItem item;
  const std::size_t begin = reader.pos();
  bool has_time = false, has_id = false;
  std::string problem;
  std::string time_text;  // a last_event_at with escapes
  const bool well_formed = ForEachMember(reader, [&](std::string_view key, JsonScanner& at_value) {
    const std::size_t value_begin = at_value.pos();
    const std::string_view value = at_value.Value();
    if (value.empty()) return false;
    const bool is_string = value.front() == '"';
    if (key == "site_id") {
      item.site_id_begin = value_begin - begin;
      item.site_id_end = item.site_id_begin + value.size();
    } else if (key == "last_event_at") {
      auto at = is_string ? core::ParseRfc3339(Decoded(value, time_text))
                          : core::Result<core::Micros>(core::Error{});
      if (!at) problem = "an item's last_event_at is not an RFC 3339 time";
      item.last_event_at = at ? *at : 0;
      has_time = true;
    } else if (key == id_field) {
      if (!is_string) problem = "an item's " + std::string(id_field) + " is not a string";
      item.id = is_string ? Decoded(value) : "";
      has_id = true;
    }
    return problem.empty();
  });
  if (!problem.empty()) return Shape(problem);
  if (!well_formed) return NotJson(reader);
  if (!has_time || !has_id) {
    return Shape("an item lacks last_event_at or " + std::string(id_field));
  }
  item.text = reader.Slice(begin);
  return item;
}

core::Status ScanItems(JsonScanner& reader, std::string_view id_field, ScannedListAnswer& answer) {
  if (reader.Peek() != '[') return WrongKind(reader, "\"items\" is not an array");
  if (!reader.Enter('[')) return NotJson(reader);
  if (reader.Leave(']')) return core::OkStatus();
  do {
    auto item = ScanItem(reader, id_field);
    if (!item) return item.error();
    answer.items.push_back(std::move(*item));
  } while (reader.Consume(','));
  if (!reader.Leave(']')) {
    reader.Fail("expected ',' or ']'");
    return NotJson(reader);
  }
  return core::OkStatus();
}

}  // namespace

core::Result<ScannedListAnswer> ScanListAnswer(std::string_view answer, std::string_view id_field,
                                               std::size_t max_depth) {
  JsonScanner reader(answer, max_depth);
  if (reader.Peek() != '{') {
    if (!reader.Value().empty()) reader.Finish();
    return reader.failed() ? NotJson(reader) : Shape("it is not an object");
  }
  ScannedListAnswer scanned;
  bool has_items = false, has_next = false;
  core::Status items_status = core::OkStatus();
  std::string problem;
  const bool well_formed = ForEachMember(reader, [&](std::string_view key, JsonScanner& at_value) {
    if (key == "items") {
      if (has_items) {
        problem = "\"items\" appears twice";
        return false;
      }
      items_status = ScanItems(at_value, id_field, scanned);
      has_items = true;
      return items_status.ok();
    }
    const std::string_view value = at_value.Value();
    if (value.empty()) return false;
    if (key == "next_cursor") {
      if (value != "null" && value.front() != '"') problem = "next_cursor is not a string";
      scanned.has_next = value.front() == '"';
      has_next = true;
    }
    return problem.empty();
  });
  if (!items_status) return items_status.error();
  if (!problem.empty()) return Shape(problem);
  if (!well_formed) return NotJson(reader);
  if (!reader.Finish()) return NotJson(reader);
  if (!has_items || !has_next) return Shape("it lacks \"items\" or \"next_cursor\"");
  return scanned;
}

void AppendWithSiteId(std::string& out, const ScannedItem& item, std::string_view site_id_json) {
  if (item.site_id_begin == item.site_id_end) {
    out += "{\"site_id\":";
    out += site_id_json;
    out += item.text.size() > 2 ? "," : "";
    out += item.text.substr(1);
    return;
  }
  out += item.text.substr(0, item.site_id_begin);
  out += site_id_json;
  out += item.text.substr(item.site_id_end);
}

}  // namespace dataplane::central_api
