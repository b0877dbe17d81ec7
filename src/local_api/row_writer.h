#pragma once
// RowWriter: writes the columns of one libpq result row as the members of a JSON object,
// straight into the answer text (no JSON tree). The caller writes the braces; each method
// writes `"name":value`, a comma first when a member precedes it. Names are the callers' string
// literals and are written as they are: plain ASCII identifiers, never escaped.
#include <string>
#include <string_view>

#include "core/json_writer.h"
#include "core/time.h"
#include "pg/result.h"

namespace dataplane::local_api {

class RowWriter {
 public:
  RowWriter(std::string& out, const pg::PgResult& r, int row) : out_(out), r_(r), row_(row) {}
  void Text(const char* name, int col) {
    Key(name);
    if (r_.IsNull(row_, col)) return Null();
    core::AppendJsonString(out_, r_.Text(row_, col));
  }
  //! A time (PgResult::Micros: a binary timestamptz or a text epoch-microseconds column),
  //! printed as RFC 3339.
  void Time(const char* name, int col) {
    Key(name);
    if (r_.IsNull(row_, col)) return Null();
    out_ += '"';  // the digits, '-', ':', '.', 'T' and 'Z' need no escaping
    core::AppendRfc3339(out_, r_.Micros(row_, col));
    out_ += '"';
  }
  //! A uuid column, in either result format.
  void Uuid(const char* name, int col) {
    Key(name);
    if (r_.IsNull(row_, col)) return Null();
    out_ += '"';
    r_.AppendUuid(out_, row_, col);
    out_ += '"';
  }
  void Number(const char* name, int col) {
    Key(name);
    if (r_.IsNull(row_, col)) return Null();
    core::AppendJsonNumber(out_, r_.Double(row_, col));
  }
  void Integer(const char* name, int col) {
    Key(name);
    core::AppendJsonNumber(out_, static_cast<long long>(r_.Int64(row_, col)));
  }
  //! Opens a nested object member; Close() ends it.
  void Open(const char* name) {
    Key(name);
    out_ += '{';
  }
  void Close() { out_ += '}'; }
  //! A member whose value the caller wrote as JSON text.
  void Member(const char* name, std::string_view json) {
    Key(name);
    out_ += json;
  }
  //! A JSONB column as PostgreSQL printed it (valid JSON), {} when null.
  void Json(const char* name, int col) {
    Key(name);
    out_ += r_.IsNull(row_, col) ? std::string_view("{}") : r_.Text(row_, col);
  }

 private:
  // `name` is one of the callers' literal member names, which need no escaping.
  void Key(const char* name) {
    if (out_.back() != '{') out_ += ',';
    out_ += '"';
    out_ += name;
    out_ += "\":";
  }
  void Null() { out_ += "null"; }

  std::string& out_;
  const pg::PgResult& r_;
  int row_;
};

}  // namespace dataplane::local_api
