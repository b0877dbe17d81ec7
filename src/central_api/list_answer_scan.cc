#include "central_api/list_answer_scan.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace dataplane::central_api {
namespace {

core::Error Shape(std::string what) {
  return core::Error::Malformed("bad_answer", "the answer is not a list of items: " + what);
}

// A cursor over JSON text. The text is valid JSON, but every read is still bounded, so that
// text that is not (a unit test's) ends in an error, never a read past the end.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  std::size_t pos() const { return pos_; }
  std::string_view Slice(std::size_t begin) const { return text_.substr(begin, pos_ - begin); }

  //! The next character after white space, not consumed; '\0' at the end.
  char Peek() {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
    return pos_ < text_.size() ? text_[pos_] : '\0';
  }

  bool Consume(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }

  //! A string, quotes included, from the opening quote at Peek(); "" when there is none.
  std::string_view String() {
    if (Peek() != '"') return {};
    const std::size_t begin = pos_++;
    while (pos_ < text_.size() && text_[pos_] != '"') pos_ += text_[pos_] == '\\' ? 2 : 1;
    if (pos_ >= text_.size()) return {};
    ++pos_;
    return Slice(begin);
  }

  //! Any value (string, number, literal, object, array), as its text; "" when malformed.
  std::string_view Value() {
    const char first = Peek();
    if (first == '"') return String();
    const std::size_t begin = pos_;
    if (first != '{' && first != '[') {
      while (pos_ < text_.size() && !IsSpace(text_[pos_]) && !IsEnd(text_[pos_])) ++pos_;
      return Slice(begin);
    }
    int depth = 0;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '"') {
        if (String().empty()) return {};
        continue;
      }
      ++pos_;
      if (c == '{' || c == '[') ++depth;
      if ((c == '}' || c == ']') && --depth == 0) return Slice(begin);
    }
    return {};
  }

 private:
  static bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  static bool IsEnd(char c) { return c == ',' || c == '}' || c == ']'; }

  std::string_view text_;
  std::size_t pos_ = 0;
};

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

// Calls member(key, reader) for each member of the object at the reader, with the reader at the
// member's value, which member must read; false when malformed or when member says so.
template <typename Member>
bool ForEachMember(Reader& reader, Member&& member) {
  if (!reader.Consume('{')) return false;
  if (reader.Consume('}')) return true;
  std::string decoded;  // a key with escapes
  do {
    const std::string_view key = reader.String();
    if (key.empty() || !reader.Consume(':')) return false;
    reader.Peek();
    if (!member(Decoded(key, decoded), reader)) return false;
  } while (reader.Consume(','));
  return reader.Consume('}');
}

core::Result<ScannedItem> ScanItem(Reader& reader, std::string_view id_field) {
  if (reader.Peek() != '{') return Shape("an item is not an object");
  ScannedItem item;
  const std::size_t begin = reader.pos();
  bool has_time = false, has_id = false;
  std::string problem;
  const bool well_formed = ForEachMember(reader, [&](std::string_view key, Reader& at_value) {
    const std::size_t value_begin = at_value.pos();
    const std::string_view value = at_value.Value();
    if (value.empty()) return false;
    const bool is_string = value.front() == '"';
    if (key == "site_id") {
      item.site_id_begin = value_begin - begin;
      item.site_id_end = item.site_id_begin + value.size();
    } else if (key == "last_event_at") {
      auto at = is_string ? core::ParseRfc3339(Decoded(value))
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
  if (!well_formed) return Shape("an item is not well-formed JSON");
  if (!has_time || !has_id) {
    return Shape("an item lacks last_event_at or " + std::string(id_field));
  }
  item.text = reader.Slice(begin);
  return item;
}

core::Status ScanItems(Reader& reader, std::string_view id_field, ScannedListAnswer& answer) {
  if (!reader.Consume('[')) return Shape("\"items\" is not an array");
  if (reader.Consume(']')) return core::OkStatus();
  do {
    auto item = ScanItem(reader, id_field);
    if (!item) return item.error();
    answer.items.push_back(std::move(*item));
  } while (reader.Consume(','));
  if (!reader.Consume(']')) return Shape("\"items\" is not well-formed JSON");
  return core::OkStatus();
}

}  // namespace

core::Result<ScannedListAnswer> ScanListAnswer(std::string_view answer, std::string_view id_field) {
  Reader reader(answer);
  if (reader.Peek() != '{') return Shape("it is not an object");
  ScannedListAnswer scanned;
  bool has_items = false, has_next = false;
  core::Status items_status = core::OkStatus();
  std::string problem;
  const bool well_formed = ForEachMember(reader, [&](std::string_view key, Reader& at_value) {
    if (key == "items") {
      if (has_items) return false;
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
  if (!well_formed || reader.Peek() != '\0') return Shape("it is not well-formed JSON");
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
