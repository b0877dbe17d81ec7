#include "ingest/group_write.h"

#include <algorithm>
#include <iterator>
#include <string_view>
#include <unordered_map>

#include "ingest/copy_rows.h"
#include "ingest/group_fold.h"
#include "pg/binary_array.h"
#include "pg/sql_failure.h"

namespace dataplane::ingest {
namespace {

// Statement 1 registers the group's keys (sent as arrays, duplicates inside the group already
// dropped) in key order, so that two writers inserting the same keys never deadlock; it returns
// the keys that were new.
const std::string kRegisterKeys = R"sql(
INSERT INTO event_key (idempotency_key, event_at)
SELECT k, a FROM unnest($1::text[], $2::timestamptz[]) AS u(k, a) ORDER BY k
ON CONFLICT DO NOTHING
RETURNING idempotency_key
)sql";

// After the fresh events' history rows are copied into `event`: the group's apps (one row each,
// group_fold.h) are registered; then, in one statement, those whose name or version changed are
// renamed (a statement of its own after the insert, so that it sees an app another writer has
// just committed, and the later committer's name stands) and jobs new to the database are
// anchored at their first event of the group. The LATERAL … LIMIT 1 probe keeps each anchor
// lookup an index probe whatever the planner guesses of the array's length.
const std::string kInsertApps = R"sql(
INSERT INTO app (app_id, name, version)
SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[]) ORDER BY 1
ON CONFLICT (app_id) DO NOTHING
)sql";

const std::string kRenameAppsAndAnchorJobs = R"sql(
WITH renamed AS (
  UPDATE app SET name = s.name, version = s.version, updated_at = now()
  FROM unnest($1::uuid[], $2::text[], $3::text[]) AS s(app_id, name, version)
  WHERE app.app_id = s.app_id AND (app.name, app.version) IS DISTINCT FROM (s.name, s.version)
)
INSERT INTO entity_anchor (entity_id, entity_type, anchor_at)
SELECT u.id, 'job', u.at FROM unnest($4::uuid[], $5::timestamptz[]) AS u(id, at)
LEFT JOIN LATERAL (SELECT 1 AS found FROM entity_anchor a WHERE a.entity_id = u.id LIMIT 1) k ON true
WHERE k.found IS NULL
ORDER BY u.id
ON CONFLICT DO NOTHING
)sql";

const std::string kCommit = "COMMIT";

// The current-state upsert, shared by job and subjob: one row per entity, folded by the writer
// (group_fold.h) and sent as arrays, merged with the stored row by the same rules. {T} table,
// {ID} id column, {EXTRA_*} the subjob-only columns. Rows are written in entity-id order, so
// concurrent groups lock shared rows in one order and never deadlock.
constexpr const char* kUpsertState = R"sql(
INSERT INTO {T} AS t ({ID}, anchor_at, site_id, app_id, app_name, app_version, job_key,
    status, last_event_kind, last_event_at, started_at, finished_at, duration_s, cpu_user_s,
    cpu_system_s, mem_max_mb, metadata, event_count{EXTRA_COLS})
SELECT l.entity_id, a.anchor_at, l.site_id, l.app_id, l.app_name, l.app_version, l.job_key,
    l.status, l.kind, l.at, l.started_at, CASE WHEN l.status <> 'running' THEN l.at END,
    l.duration_s, l.cpu_user_s, l.cpu_system_s, l.mem_max_mb, l.metadata, l.n{EXTRA_VALS}
FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[],
    $8::text[], $9::timestamptz[], $10::timestamptz[], $11::float8[], $12::float8[],
    $13::float8[], $14::float8[], $15::jsonb[], $16::integer[]{EXTRA_ARRAYS})
  AS l(entity_id, site_id, app_id, app_name, app_version, job_key, status, kind, at, started_at,
       duration_s, cpu_user_s, cpu_system_s, mem_max_mb, metadata, n{EXTRA_NAMES})
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
  ReplaceAll(sql, "{EXTRA_COLS}", subjob ? ", job_id, sub_key" : "");
  ReplaceAll(sql, "{EXTRA_VALS}", subjob ? ", l.parent_id, l.sub_key" : "");
  ReplaceAll(sql, "{EXTRA_ARRAYS}", subjob ? ", $17::uuid[], $18::text[]" : "");
  ReplaceAll(sql, "{EXTRA_NAMES}", subjob ? ", parent_id, sub_key" : "");
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

const std::string& UpsertJobs() {
  static const std::string sql = RecordingStatsInvalidation(UpsertState(false));
  return sql;
}

const std::string& UpsertSubjobs() {
  static const std::string sql = UpsertState(true);
  return sql;
}

using pg::BinaryArray;
using pg::ElementType;

// The arrays of the state upsert's parameters, $1…$16 (and $17, $18 for subjobs), in binary.
pg::Params StateParams(const std::vector<EntityState>& states, api::EntityType type) {
  constexpr ElementType kTypes[] = {
      ElementType::kUuid,        ElementType::kText,   ElementType::kUuid,
      ElementType::kText,        ElementType::kText,   ElementType::kText,
      ElementType::kText,        ElementType::kText,   ElementType::kTimestampTz,
      ElementType::kTimestampTz, ElementType::kFloat8, ElementType::kFloat8,
      ElementType::kFloat8,      ElementType::kFloat8, ElementType::kJsonb,
      ElementType::kInt4,        ElementType::kUuid,   ElementType::kText};
  std::vector<BinaryArray> columns(std::begin(kTypes), std::end(kTypes));
  for (const EntityState& s : states) {
    const Event& e = *s.latest;
    if (e.entity_type != type) continue;
    int c = 0;
    columns[c++].Uuid(e.entity_id);
    columns[c++].Text(e.site_id);
    columns[c++].Uuid(e.app_id);
    columns[c++].Text(e.app_name);
    columns[c++].Text(e.app_version);
    columns[c++].Text(s.job_key);
    columns[c++].Text(ToString(e.status));
    columns[c++].Text(ToString(e.kind));
    columns[c++].TimestampTz(e.at);
    columns[c++].TimestampTz(s.started_at);
    columns[c++].Float8(s.duration_s);
    columns[c++].Float8(s.cpu_user_s);
    columns[c++].Float8(s.cpu_system_s);
    columns[c++].Float8(s.mem_max_mb);
    columns[c++].Jsonb(s.metadata_json);
    columns[c++].Int4(s.event_count);
    columns[c++].Uuid(e.parent_id);
    columns[c++].Text(e.sub_key);
  }
  const std::size_t used = type == api::EntityType::kSubjob ? columns.size() : columns.size() - 2;
  pg::Params params;
  for (std::size_t c = 0; c < used; ++c) params.emplace_back(columns[c].Take());
  return params;
}

// Everything after the history COPY, in order, as one pipeline: apps, renamed apps and
// anchors, the job and subjob states (each only when the group has such entities), COMMIT.
std::vector<pg::PipelinedStatement> StateStatements(const std::vector<const Event*>& fresh) {
  BinaryArray app_ids(ElementType::kUuid), app_names(ElementType::kText),
      app_versions(ElementType::kText);
  for (const Event* e : LatestAppEvents(fresh)) {
    app_ids.Uuid(e->app_id);
    app_names.Text(e->app_name);
    app_versions.Text(e->app_version);
  }
  pg::Params apps{app_ids.Take(), app_names.Take(), app_versions.Take()};
  BinaryArray job_ids(ElementType::kUuid), first_ats(ElementType::kTimestampTz);
  for (const JobFirstTime& first : JobFirstTimes(fresh)) {
    job_ids.Uuid(first.job_id);
    first_ats.TimestampTz(first.at);
  }
  pg::Params apps_and_anchors = apps;
  apps_and_anchors.emplace_back(job_ids.Take());
  apps_and_anchors.emplace_back(first_ats.Take());
  constexpr auto kBinary = pg::ParamFormat::kBinary;
  std::vector<pg::PipelinedStatement> statements{
      {&kInsertApps, std::move(apps), kBinary},
      {&kRenameAppsAndAnchorJobs, std::move(apps_and_anchors), kBinary}};
  const std::vector<EntityState> states = FoldByEntity(fresh);
  const auto is_job = [](const EntityState& s) {
    return s.latest->entity_type == api::EntityType::kJob;
  };
  if (std::any_of(states.begin(), states.end(), is_job)) {
    statements.push_back({&UpsertJobs(), StateParams(states, api::EntityType::kJob), kBinary});
  }
  if (!std::all_of(states.begin(), states.end(), is_job)) {
    statements.push_back(
        {&UpsertSubjobs(), StateParams(states, api::EntityType::kSubjob), kBinary});
  }
  statements.push_back({&kCommit, {}});
  return statements;
}

// The missing daily partitions of the group's UTC days are created, then the group is retried.
// Its events' days are all it needs: a row's partition key is its event's `at`, or the anchor of
// an entity seen before, whose partition exists since its row does. Days between the group's
// oldest and newest are made too (one call; a late group spans a few days at most).
core::Status EnsurePartitionsFor(pg::Connection& conn, const std::vector<const Event*>& events) {
  auto [lo, hi] = std::minmax_element(events.begin(), events.end(),
                                      [](const Event* a, const Event* b) { return a->at < b->at; });
  auto created = conn.TryExec(
      "SELECT ensure_partitions(($1::timestamptz AT TIME ZONE 'UTC')::date, "
      "($2::timestamptz AT TIME ZONE 'UTC')::date)",
      {core::FormatPgTimestamp((*lo)->at), core::FormatPgTimestamp((*hi)->at)});
  if (!created) return created.error();
  return core::OkStatus();
}

// One group in one transaction, three round trips:
//   1. BEGIN and the keys registered from arrays, the fresh keys returned;
//   2. binary COPY of the fresh events' history rows, payload included, straight into `event`;
//   3. one pipeline: apps, anchors, job and subjob state (one row per entity, reduced here from
//      the fresh events), COMMIT.
// A group whose keys were all known only commits.
core::Result<std::vector<bool>> WriteOnce(pg::Connection& conn,
                                          const std::vector<const Event*>& events) {
  std::vector<bool> inserted(events.size(), false);
  std::unordered_map<std::string_view, std::size_t> first_of_key;
  BinaryArray keys(ElementType::kText), ats(ElementType::kTimestampTz);
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (first_of_key.emplace(events[i]->idempotency_key, i).second) {
      keys.Text(events[i]->idempotency_key);
      ats.TimestampTz(events[i]->at);
    }
  }
  const auto failed = [&conn](core::Error error) -> core::Result<std::vector<bool>> {
    conn.ResetTransaction();
    return error;
  };
  static const std::string kBegin = "BEGIN";
  auto registered = conn.TryExecPipeline(
      {{&kBegin, {}}, {&kRegisterKeys, {keys.Take(), ats.Take()}, pg::ParamFormat::kBinary}});
  if (!registered) return failed(registered.error());
  const pg::PgResult& fresh_keys = registered->back();
  std::vector<std::size_t> fresh_positions;
  for (int r = 0; r < fresh_keys.Rows(); ++r) {
    auto it = first_of_key.find(fresh_keys.Text(r, 0));
    if (it == first_of_key.end()) continue;
    inserted[it->second] = true;
    fresh_positions.push_back(it->second);
  }
  std::sort(fresh_positions.begin(), fresh_positions.end());  // arrival order, for the fold
  std::vector<const Event*> fresh;
  pg::BinaryCopy rows;
  rows.Reserve(fresh_positions.size() * 768);
  for (std::size_t i : fresh_positions) {
    fresh.push_back(events[i]);
    AppendEventRow(rows, *events[i]);
  }
  if (fresh.empty()) {
    auto committed = conn.TryExec(kCommit);
    if (!committed) return failed(committed.error());
    return inserted;
  }
  if (core::Status copied = conn.TryCopyIn(kCopyEvent, rows.Take()); !copied) {
    return failed(copied.error());
  }
  auto results = conn.TryExecPipeline(StateStatements(fresh));
  if (!results) return failed(results.error());
  return inserted;
}

}  // namespace

core::Status PrepareWriterConnection(pg::Connection& conn) {
  auto created = conn.TryExec("SET client_min_messages = warning");
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
