#include "ingest/copy_rows.h"

#include <charconv>

namespace dataplane::ingest {

const char* const kCopyEvent =
    "COPY event (idempotency_key, at, site_id, app_id, entity_type, entity_id, parent_id,"
    " business_key, sub_key, kind, status, duration_s, cpu_user_s, cpu_system_s, mem_max_mb,"
    " metadata, payload) FROM STDIN";

namespace {

void AppendEscaped(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out.push_back(c);
    }
  }
}

void AppendField(std::string& out, std::string_view value) {
  AppendEscaped(out, value);
  out.push_back('\t');
}

void AppendOptional(std::string& out, const std::optional<std::string>& value) {
  if (value) {
    AppendEscaped(out, *value);
  } else {
    out += "\\N";
  }
  out.push_back('\t');
}

void AppendNumber(std::string& out, const std::optional<double>& value) {
  if (value) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *value);
    (void)ec;
    out.append(buf, end);
  } else {
    out += "\\N";
  }
  out.push_back('\t');
}

// entity_type … metadata, each followed by a tab: the columns both tables end with.
void AppendEntityAndFigures(std::string& out, const Event& e) {
  AppendField(out, ToString(e.entity_type));
  AppendField(out, e.entity_id);
  AppendOptional(out, e.parent_id);
  AppendOptional(out, e.business_key);
  AppendOptional(out, e.sub_key);
  AppendField(out, ToString(e.kind));
  AppendField(out, ToString(e.status));
  AppendNumber(out, e.duration_s);
  AppendNumber(out, e.cpu_user_s);
  AppendNumber(out, e.cpu_system_s);
  AppendNumber(out, e.mem_max_mb);
  AppendField(out, e.metadata_json);
}

}  // namespace

void AppendEventRow(std::string& out, const Event& e) {
  AppendField(out, e.idempotency_key);
  AppendField(out, core::FormatPgTimestamp(e.at));
  AppendField(out, e.site_id);
  AppendField(out, e.app_id);
  AppendEntityAndFigures(out, e);
  AppendEscaped(out, e.payload_json);
  out.push_back('\n');
}

}  // namespace dataplane::ingest
