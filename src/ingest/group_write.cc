#include "ingest/group_write.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "ingest/copy_rows.h"
#include "pg/sql_failure.h"

namespace dataplane::ingest {
namespace {

// The staging table has no statistics (it is temporary and refilled per group), so the planner
// would guess it large and hash-join it against the whole registry; the LATERAL … LIMIT 1
// probes below keep every registry lookup an index probe per staged row.
//
// Statement 1 registers the keys and drops the staged duplicates; it returns the fresh keys.
constexpr const char* kRegisterKeys = R"sql(
WITH fresh AS (
  INSERT INTO event_key (idempotency_key, event_at)
  SELECT idempotency_key, at FROM ingest_stage ORDER BY idempotency_key
  ON CONFLICT DO NOTHING
  RETURNING idempotency_key
), stale AS (
  DELETE FROM ingest_stage WHERE idempotency_key NOT IN (SELECT idempotency_key FROM fresh)
)
SELECT idempotency_key FROM fresh
)sql";

// After the fresh events' history rows are copied into `event` straight from the writer: the
// app registry and the anchors of new jobs (a job's first event, or its first subjob's, places
// it and its subjobs), from the stage.
constexpr const char* kRegisterAppsAndAnchors = R"sql(
INSERT INTO app (app_id, name, version)
SELECT DISTINCT ON (app_id) app_id, app_name, app_version FROM ingest_stage
ORDER BY app_id, at DESC, ord DESC
ON CONFLICT (app_id) DO NOTHING;

UPDATE app SET name = s.app_name, version = s.app_version, updated_at = now()
FROM (SELECT DISTINCT ON (app_id) app_id, app_name, app_version FROM ingest_stage
      ORDER BY app_id, at DESC, ord DESC) s
WHERE app.app_id = s.app_id
  AND (app.name, app.version) IS DISTINCT FROM (s.app_name, s.app_version);

INSERT INTO entity_anchor (entity_id, entity_type, anchor_at)
SELECT s.job_id, 'job', min(s.at)
FROM (SELECT CASE WHEN entity_type = 'job' THEN entity_id ELSE parent_id END AS job_id, at
      FROM ingest_stage) s
LEFT JOIN LATERAL (SELECT 1 AS found FROM entity_anchor a WHERE a.entity_id = s.job_id LIMIT 1) k ON true
WHERE k.found IS NULL
GROUP BY s.job_id ORDER BY s.job_id
ON CONFLICT DO NOTHING;
)sql";

// The current-state upsert, shared by job and subjob. {T} table, {ID} id column,
// {EXTRA_COLS}/{EXTRA_VALS}/{EXTRA_SET} the subjob-only columns. One pass over the stage:
// window functions give each entity's event count, first start, latest non-null values and its
// events' metadata folded oldest first; DISTINCT ON keeps its newest event.
constexpr const char* kUpsertState = R"sql(
INSERT INTO {T} AS t ({ID}, anchor_at, site_id, app_id, app_name, app_version, job_key,
    status, last_event_kind, last_event_at, started_at, finished_at, duration_s, cpu_user_s,
    cpu_system_s, mem_max_mb, metadata, event_count{EXTRA_COLS})
SELECT l.entity_id, a.anchor_at, l.site_id, l.app_id, l.app_name, l.app_version, l.job_key,
    l.status, l.kind, l.at, l.started_at, CASE WHEN l.status <> 'running' THEN l.at END,
    l.duration_s, l.cpu_user_s, l.cpu_system_s, l.mem_max_mb, coalesce(l.metadata, '{}'),
    l.n{EXTRA_VALS}
FROM (
  SELECT DISTINCT ON (entity_id) entity_id, site_id, app_id, app_name, app_version, status,
      kind, at, parent_id, sub_key,
      dataplane_jsonb_merge(metadata) OVER (PARTITION BY entity_id ORDER BY at, status <> 'running', ord
          ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS metadata,
      count(*) OVER e AS n,
      min(at) FILTER (WHERE kind = 'started') OVER e AS started_at,
      first_value(business_key) OVER (PARTITION BY entity_id ORDER BY business_key IS NULL, at DESC) AS job_key,
      first_value(duration_s) OVER (PARTITION BY entity_id ORDER BY duration_s IS NULL, at DESC) AS duration_s,
      first_value(cpu_user_s) OVER (PARTITION BY entity_id ORDER BY cpu_user_s IS NULL, at DESC) AS cpu_user_s,
      first_value(cpu_system_s) OVER (PARTITION BY entity_id ORDER BY cpu_system_s IS NULL, at DESC) AS cpu_system_s,
      first_value(mem_max_mb) OVER (PARTITION BY entity_id ORDER BY mem_max_mb IS NULL, at DESC) AS mem_max_mb
  FROM ingest_stage WHERE entity_type = '{TYPE}'
  WINDOW e AS (PARTITION BY entity_id)
  ORDER BY entity_id, at DESC, (status <> 'running') DESC, ord DESC
) l
CROSS JOIN LATERAL ({ANCHOR}) a
ORDER BY l.entity_id
ON CONFLICT ({ID}, anchor_at) DO UPDATE SET
  status = CASE WHEN {NEWER} THEN excluded.status ELSE t.status END,
  last_event_kind = CASE WHEN {NEWER} THEN excluded.last_event_kind ELSE t.last_event_kind END,
  last_event_at = GREATEST(t.last_event_at, excluded.last_event_at),
  finished_at = CASE WHEN {NEWER} THEN excluded.finished_at ELSE t.finished_at END,
  site_id = CASE WHEN {NEWER} THEN excluded.site_id ELSE t.site_id END,
  app_id = CASE WHEN {NEWER} THEN excluded.app_id ELSE t.app_id END,
  app_name = CASE WHEN {NEWER} THEN excluded.app_name ELSE t.app_name END,
  app_version = CASE WHEN {NEWER} THEN excluded.app_version ELSE t.app_version END,
  job_key = CASE WHEN {NEWER} THEN coalesce(excluded.job_key, t.job_key) ELSE coalesce(t.job_key, excluded.job_key) END,
  started_at = LEAST(t.started_at, excluded.started_at),
  duration_s = CASE WHEN {NEWER} THEN coalesce(excluded.duration_s, t.duration_s) ELSE coalesce(t.duration_s, excluded.duration_s) END,
  cpu_user_s = CASE WHEN {NEWER} THEN coalesce(excluded.cpu_user_s, t.cpu_user_s) ELSE coalesce(t.cpu_user_s, excluded.cpu_user_s) END,
  cpu_system_s = CASE WHEN {NEWER} THEN coalesce(excluded.cpu_system_s, t.cpu_system_s) ELSE coalesce(t.cpu_system_s, excluded.cpu_system_s) END,
  mem_max_mb = CASE WHEN {NEWER} THEN coalesce(excluded.mem_max_mb, t.mem_max_mb) ELSE coalesce(t.mem_max_mb, excluded.mem_max_mb) END,
  metadata = CASE WHEN {NEWER} THEN t.metadata || excluded.metadata ELSE excluded.metadata || t.metadata END,
  event_count = t.event_count + excluded.event_count,
  updated_at = now(){EXTRA_SET}
)sql";

// Whether the incoming state replaces the stored one: newer time, or same time and not less final.
constexpr std::string_view kNewer =
    "(excluded.last_event_at, excluded.status <> 'running') >= (t.last_event_at, t.status <> "
    "'running')";

void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t pos = s.find(from); pos != std::string::npos;
       pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
}

// Where an entity's state row lives. A job: at its anchor. A subjob: at its job's anchor, so that
// only jobs need anchor rows; a subjob registered before schema version 4 has an anchor of its
// own, which it keeps using (its row was placed there).
constexpr const char* kJobAnchor =
    "SELECT anchor_at FROM entity_anchor x WHERE x.entity_id = l.entity_id LIMIT 1";
constexpr const char* kSubjobAnchor =
    "SELECT anchor_at FROM entity_anchor x WHERE x.entity_id IN (l.entity_id, l.parent_id) "
    "ORDER BY x.entity_id = l.entity_id DESC LIMIT 1";

std::string UpsertState(bool subjob) {
  std::string sql = kUpsertState;
  ReplaceAll(sql, "{ANCHOR}", subjob ? kSubjobAnchor : kJobAnchor);
  ReplaceAll(sql, "{NEWER}", kNewer);
  ReplaceAll(sql, "{T}", subjob ? "subjob" : "job");
  ReplaceAll(sql, "{ID}", subjob ? "subjob_id" : "job_id");
  ReplaceAll(sql, "{TYPE}", subjob ? "subjob" : "job");
  ReplaceAll(sql, "{EXTRA_COLS}", subjob ? ", job_id, sub_key" : "");
  ReplaceAll(sql, "{EXTRA_VALS}", subjob ? ", l.parent_id, l.sub_key" : "");
  ReplaceAll(sql, "{EXTRA_SET}",
             subjob ? ",\n  sub_key = coalesce(excluded.sub_key, t.sub_key)" : "");
  return sql;
}

// The job upsert, extended to log the hours (of anchor_at) whose job statistics it changed:
// one row per hour not logged yet, once per group (timescaledb_enhancements.sql reads the log).
std::string RecordingStatsInvalidation(const std::string& job_upsert) {
  return "WITH changed AS (" + job_upsert +
         " RETURNING anchor_at), hours AS (SELECT DISTINCT date_trunc('hour', anchor_at, 'UTC') "
         "AS hour FROM changed) INSERT INTO job_stats_invalidation (hour) SELECT hour FROM hours h "
         "WHERE NOT EXISTS (SELECT 1 FROM job_stats_invalidation i WHERE i.hour = h.hour)";
}

// Everything after the history COPY, in order, as separately prepared statements (one
// pipeline).
const std::vector<std::string>& StateStatements() {
  static const std::vector<std::string> statements = [] {
    std::vector<std::string> out;
    std::string registries = kRegisterAppsAndAnchors;
    for (std::size_t start = 0, end; (end = registries.find(';', start)) != std::string::npos;
         start = end + 1) {
      const std::string statement = registries.substr(start, end - start);
      if (statement.find_first_not_of(" \n") != std::string::npos) out.push_back(statement);
    }
    out.push_back(RecordingStatsInvalidation(UpsertState(false)));
    out.push_back(UpsertState(true));
    out.push_back("COMMIT");
    return out;
  }();
  return statements;
}

// Missing daily partitions for the group's time range are created, then the group is retried.
core::Status EnsurePartitionsFor(pg::Connection& conn, const std::vector<const Event*>& events) {
  auto [lo, hi] = std::minmax_element(events.begin(), events.end(),
                                      [](const Event* a, const Event* b) { return a->at < b->at; });
  auto created = conn.TryExec(
      "SELECT ensure_partitions(($1::timestamptz AT TIME ZONE 'UTC')::date - 1, "
      "($2::timestamptz AT TIME ZONE 'UTC')::date + 1)",
      {core::FormatPgTimestamp((*lo)->at), core::FormatPgTimestamp((*hi)->at)});
  if (!created) return created.error();
  return core::OkStatus();
}

// One group in one transaction, four round trips:
//   1. BEGIN and COPY of the stage (every column but the payload: what the upserts read);
//   2. the keys registered, the stage's duplicates dropped, the fresh keys returned;
//   3. COPY of the fresh events' history rows, payload included, straight into `event`;
//   4. one pipeline: apps, anchors, job and subjob state, COMMIT.
// The history row is written once, from the writer's memory, instead of staged and copied over:
// the payload (most of an event's bytes) is parsed into jsonb once, by the COPY into `event`.
core::Result<std::vector<bool>> WriteOnce(pg::Connection& conn,
                                          const std::vector<const Event*>& events) {
  std::vector<bool> inserted(events.size(), false);
  std::unordered_map<std::string_view, std::size_t> first_of_key;
  std::string rows;
  rows.reserve(events.size() * 512);
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (first_of_key.emplace(events[i]->idempotency_key, i).second) {
      AppendStageRow(rows, static_cast<int>(i), *events[i]);
    }
  }
  const auto failed = [&conn](core::Error error) -> core::Result<std::vector<bool>> {
    conn.ResetTransaction();
    return error;
  };
  // BEGIN travels with the COPY statement: one round trip less per group.
  static const std::string kBeginAndCopy = std::string("BEGIN; ") + kCopyStage;
  if (core::Status copied = conn.TryCopyIn(kBeginAndCopy, rows); !copied) {
    return failed(copied.error());
  }
  static const std::vector<std::string> kRegister{kRegisterKeys};
  auto registered = conn.TryExecPipeline(kRegister);
  if (!registered) return failed(registered.error());
  const pg::PgResult& fresh = registered->front();
  rows.clear();
  for (int r = 0; r < fresh.Rows(); ++r) {
    auto it = first_of_key.find(fresh.Text(r, 0));
    if (it == first_of_key.end()) continue;
    inserted[it->second] = true;
    AppendEventRow(rows, *events[it->second]);
  }
  if (!rows.empty()) {
    if (core::Status copied = conn.TryCopyIn(kCopyEvent, rows); !copied) {
      return failed(copied.error());
    }
  }
  auto results = conn.TryExecPipeline(StateStatements());
  if (!results) return failed(results.error());
  return inserted;
}

}  // namespace

core::Status PrepareWriterConnection(pg::Connection& conn) {
  auto created =
      conn.TryExec(std::string("SET client_min_messages = warning; ") + kCreateStageTable);
  if (!created) return created.error();
  return core::OkStatus();
}

core::Result<std::vector<bool>> WriteGroup(pg::Connection& conn,
                                           const std::vector<const Event*>& events) {
  if (events.empty()) return std::vector<bool>{};
  auto written = WriteOnce(conn, events);
  if (written || !pg::Is(written.error(), pg::SqlFailure::kMissingPartition)) return written;
  if (core::Status created = EnsurePartitionsFor(conn, events); !created) return created.error();
  return WriteOnce(conn, events);
}

}  // namespace dataplane::ingest
