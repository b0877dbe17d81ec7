#include "ingest/copy_rows.h"

#include <charconv>

namespace dataplane::ingest {

const char* const kCreateStageTable =
    "CREATE TEMP TABLE IF NOT EXISTS ingest_stage ("
    " ord integer, idempotency_key text, at timestamptz, site_id text, app_id uuid,"
    " app_name text, app_version text, entity_type text, entity_id uuid, parent_id uuid,"
    " business_key text, sub_key text, kind text, status text, duration_s float8,"
    " cpu_user_s float8, cpu_system_s float8, mem_max_mb float8, metadata jsonb)"
    " ON COMMIT DELETE ROWS";

const char* const kCopyStage =
    "COPY ingest_stage (ord, idempotency_key, at, site_id, app_id, app_name, app_version,"
    " entity_type, entity_id, parent_id, business_key, sub_key, kind, status, duration_s,"
    " cpu_user_s, cpu_system_s, mem_max_mb, metadata) FROM STDIN";

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

void AppendStageRow(std::string& out, int ordinal, const Event& e) {
  out += std::to_string(ordinal);
  out.push_back('\t');
  AppendField(out, e.idempotency_key);
  AppendField(out, core::FormatPgTimestamp(e.at));
  AppendField(out, e.site_id);
  AppendField(out, e.app_id);
  AppendField(out, e.app_name);
  AppendOptional(out, e.app_version);
  AppendEntityAndFigures(out, e);
  out.back() = '\n';  // the last column's tab ends the row
}

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
