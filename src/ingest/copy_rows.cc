#include "ingest/copy_rows.h"

namespace dataplane::ingest {

const char* const kCopyEvent =
    "COPY event (idempotency_key, at, site_id, app_id, entity_type, entity_id, parent_id,"
    " business_key, sub_key, kind, status, duration_s, cpu_user_s, cpu_system_s, mem_max_mb,"
    " metadata, payload) FROM STDIN WITH (FORMAT binary)";

void AppendEventRow(pg::BinaryCopy& out, const Event& e) {
  out.BeginRow(kEventRowFields);
  out.Text(e.idempotency_key);
  out.TimestampTz(e.at);
  out.Text(e.site_id);
  out.Uuid(e.app_id);
  out.Text(ToString(e.entity_type));
  out.Uuid(e.entity_id);
  out.Uuid(e.parent_id);
  out.Text(e.business_key);
  out.Text(e.sub_key);
  out.Text(ToString(e.kind));
  out.Text(ToString(e.status));
  out.Float8(e.duration_s);
  out.Float8(e.cpu_user_s);
  out.Float8(e.cpu_system_s);
  out.Float8(e.mem_max_mb);
  out.Jsonb(e.metadata_json);
  out.Jsonb(e.payload_json);
}

}  // namespace dataplane::ingest
