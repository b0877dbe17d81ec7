-- dataplane schema: the tables the Local API writes and queries.
--
-- Safe to apply any number of times (psql -f, or `dataplane migrate`), on plain PostgreSQL 14+
-- and on TimescaleDB alike. The time-series tables (event, job, subjob) are
--   * hypertables (1-day chunks) when the timescaledb extension can be created, or
--   * native range partitions, one per day, created ahead by ensure_partitions().
-- The mode is fixed when the tables are first created; re-running never switches it
-- (dataplane_backend() reads it back). TimescaleDB is used only when the server preloads it.
--
-- Why the two registries (event_key, entity_anchor):
--   A unique index on a partitioned table or hypertable must contain the partition column, so
--   neither "this idempotency key was seen" nor "this job's row is in partition X" can be
--   enforced by the time-partitioned tables themselves (an agent that regenerates the event
--   time on retry would slip past a (key, at) index). event_key holds every accepted key once,
--   unpartitioned, so a duplicate is one index probe whatever its time; entity_anchor maps each
--   job/subjob id to the time that places its current-state row, so "current state of a job"
--   is one primary-key probe plus one partition-pruned primary-key probe. Both are narrow and
--   have their own retention (prune_registries), longer than MAX_EVENT_AGE_DAYS.
SET client_min_messages = warning;

CREATE TABLE IF NOT EXISTS app (
  app_id        uuid PRIMARY KEY,
  name          text NOT NULL,
  version       text,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS event_key (
  idempotency_key text PRIMARY KEY,
  event_at        timestamptz NOT NULL,
  received_at     timestamptz NOT NULL DEFAULT now()
);
-- BRIN: received_at grows with insertion order, so pruning finds old keys at almost no cost.
CREATE INDEX IF NOT EXISTS event_key_received_at_brin ON event_key USING brin (received_at);

CREATE TABLE IF NOT EXISTS entity_anchor (
  entity_id   uuid PRIMARY KEY,
  entity_type text NOT NULL CHECK (entity_type IN ('job', 'subjob')),
  anchor_at   timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS entity_anchor_created_at_brin ON entity_anchor USING brin (created_at);

-- Hours whose jobs changed since the statistics were last refreshed (timescaledb_enhancements.sql,
-- refresh_job_stats), appended by the ingest writer once per batch. No unique index on purpose:
-- concurrent writers never wait for each other here; the refresh de-duplicates.
CREATE TABLE IF NOT EXISTS job_stats_invalidation (
  hour        timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS job_stats_invalidation_hour_idx ON job_stats_invalidation (hour);

-- True when the server loaded timescaledb at start (shared_preload_libraries): the one state in
-- which CREATE EXTENSION timescaledb works. Where the package is installed but not preloaded,
-- CREATE EXTENSION ends the session with FATAL "must be preloaded", which no EXCEPTION block
-- can catch, so the schema asks this first. Roles that may not read shared_preload_libraries
-- see the GUC the preloaded loader defines instead.
CREATE OR REPLACE FUNCTION dataplane_timescaledb_preloaded() RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF pg_has_role(current_user, 'pg_read_all_settings', 'USAGE') THEN
    RETURN EXISTS (
      SELECT 1 FROM unnest(string_to_array(current_setting('shared_preload_libraries'), ',')) lib
      WHERE regexp_replace(btrim(lib, ' "'), '^.*/|\.so$', '', 'g') = 'timescaledb');
  END IF;
  RETURN current_setting('timescaledb.disable_load', true) IS NOT NULL;
END
$$;

-- Which storage this database uses, fixed when the tables are first created: 'timescaledb'
-- (event, job and subjob are hypertables) or 'postgres' (native daily partitions). Every
-- TimescaleDB-only statement of the three files is guarded by this, not by the extension's
-- presence, so a database created without TimescaleDB stays consistent when it appears later.
CREATE OR REPLACE FUNCTION dataplane_backend() RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')
               AND (SELECT relkind FROM pg_class WHERE oid = to_regclass('job')) = 'r'
              THEN 'timescaledb' ELSE 'postgres' END
$$;

-- Why the database is on its backend, for `dataplane migrate`, `db monitor` and healthz: NULL
-- on TimescaleDB or where the extension is not installed; otherwise what stands in the way.
CREATE OR REPLACE FUNCTION dataplane_backend_note() RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN dataplane_backend() = 'timescaledb' THEN NULL
    WHEN NOT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN NULL
    WHEN NOT dataplane_timescaledb_preloaded() THEN
      'TimescaleDB is installed but not preloaded, so this database uses native partitions; to '
      'use it, add timescaledb to shared_preload_libraries (ALTER SYSTEM SET '
      'shared_preload_libraries = ''timescaledb''), restart PostgreSQL and migrate a new database'
    ELSE
      'TimescaleDB is preloaded, but this database was created with native partitions and stays '
      'on them; migrate a new database to use TimescaleDB'
  END
$$;

DO $$
DECLARE
  use_timescaledb boolean := false;
  partitioned_event text := '';
  partitioned_state text := '';
BEGIN
  IF to_regclass('job') IS NULL AND
     EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN
    IF dataplane_timescaledb_preloaded() THEN
      BEGIN
        CREATE EXTENSION IF NOT EXISTS timescaledb;
      EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'dataplane: TimescaleDB cannot be created (%); using native partitions', SQLERRM;
      END;
    ELSE
      -- Heard despite the file's client_min_messages = warning (that hides "already exists").
      PERFORM set_config('client_min_messages', 'notice', false);
      RAISE NOTICE 'dataplane: %', dataplane_backend_note();
      PERFORM set_config('client_min_messages', 'warning', false);
    END IF;
  END IF;
  use_timescaledb := EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')
                     AND coalesce((SELECT relkind FROM pg_class WHERE oid = to_regclass('job')), 'r') = 'r';
  IF NOT use_timescaledb THEN
    partitioned_event := ' PARTITION BY RANGE (at)';
    partitioned_state := ' PARTITION BY RANGE (anchor_at)';
  END IF;

  -- Full event history: every accepted event, with its whole payload.
  EXECUTE $sql$
    CREATE TABLE IF NOT EXISTS event (
      idempotency_key text NOT NULL,
      at              timestamptz NOT NULL,
      received_at     timestamptz NOT NULL DEFAULT now(),
      site_id         text NOT NULL,
      app_id          uuid NOT NULL,
      entity_type     text NOT NULL CHECK (entity_type IN ('job', 'subjob')),
      entity_id       uuid NOT NULL,
      parent_id       uuid,
      business_key    text,
      sub_key         text,
      kind            text NOT NULL,
      status          text NOT NULL,
      duration_s      double precision,
      cpu_user_s      double precision,
      cpu_system_s    double precision,
      mem_max_mb      double precision,
      metadata        jsonb,
      payload         jsonb NOT NULL
    )$sql$ || partitioned_event;

  -- Current state of each job, placed by its anchor (the time of its first accepted event).
  EXECUTE $sql$
    CREATE TABLE IF NOT EXISTS job (
      job_id          uuid NOT NULL,
      anchor_at       timestamptz NOT NULL,
      site_id         text NOT NULL,
      app_id          uuid NOT NULL,
      app_name        text NOT NULL,
      app_version     text,
      job_key         text,
      status          text NOT NULL,
      last_event_kind text NOT NULL,
      last_event_at   timestamptz NOT NULL,
      started_at      timestamptz,
      finished_at     timestamptz,
      duration_s      double precision,
      cpu_user_s      double precision,
      cpu_system_s    double precision,
      mem_max_mb      double precision,
      metadata        jsonb NOT NULL DEFAULT '{}',
      event_count     integer NOT NULL DEFAULT 0,
      created_at      timestamptz NOT NULL DEFAULT now(),
      updated_at      timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (job_id, anchor_at)
    )$sql$ || partitioned_state;

  EXECUTE $sql$
    CREATE TABLE IF NOT EXISTS subjob (
      subjob_id       uuid NOT NULL,
      anchor_at       timestamptz NOT NULL,
      job_id          uuid NOT NULL,
      site_id         text NOT NULL,
      app_id          uuid NOT NULL,
      app_name        text NOT NULL,
      app_version     text,
      job_key         text,
      sub_key         text,
      status          text NOT NULL,
      last_event_kind text NOT NULL,
      last_event_at   timestamptz NOT NULL,
      started_at      timestamptz,
      finished_at     timestamptz,
      duration_s      double precision,
      cpu_user_s      double precision,
      cpu_system_s    double precision,
      mem_max_mb      double precision,
      metadata        jsonb NOT NULL DEFAULT '{}',
      event_count     integer NOT NULL DEFAULT 0,
      created_at      timestamptz NOT NULL DEFAULT now(),
      updated_at      timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (subjob_id, anchor_at)
    )$sql$ || partitioned_state;

  -- TimescaleDB branch: the same three tables as hypertables with 1-day chunks.
  IF use_timescaledb THEN
    IF (SELECT relkind FROM pg_class WHERE oid = 'event'::regclass) = 'r' THEN
      PERFORM create_hypertable('event', 'at', chunk_time_interval => interval '1 day',
                                if_not_exists => true, migrate_data => true);
      PERFORM create_hypertable('job', 'anchor_at', chunk_time_interval => interval '1 day',
                                if_not_exists => true, migrate_data => true);
      PERFORM create_hypertable('subjob', 'anchor_at', chunk_time_interval => interval '1 day',
                                if_not_exists => true, migrate_data => true);
    END IF;
  END IF;
END
$$;

-- Indexes for the queries of SPEC §3 (created on the parent; PostgreSQL and TimescaleDB both
-- propagate them to every partition/chunk, present and future).
CREATE INDEX IF NOT EXISTS event_entity_at_idx ON event (entity_id, at);
CREATE INDEX IF NOT EXISTS event_parent_at_idx ON event (parent_id, at) WHERE parent_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS job_last_event_idx ON job (last_event_at DESC, job_id DESC);
CREATE INDEX IF NOT EXISTS job_status_last_event_idx ON job (status, last_event_at DESC, job_id DESC);
CREATE INDEX IF NOT EXISTS job_site_last_event_idx ON job (site_id, last_event_at DESC, job_id DESC);
CREATE INDEX IF NOT EXISTS job_key_idx ON job (job_key) WHERE job_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS subjob_job_idx ON subjob (job_id);
CREATE INDEX IF NOT EXISTS subjob_last_event_idx ON subjob (last_event_at DESC, subjob_id DESC);
CREATE INDEX IF NOT EXISTS subjob_status_last_event_idx ON subjob (status, last_event_at DESC, subjob_id DESC);
CREATE INDEX IF NOT EXISTS subjob_key_idx ON subjob (job_key) WHERE job_key IS NOT NULL;

-- Creates the missing daily partitions of event, job and subjob for [p_from, p_to]; returns
-- how many it created. A no-op on TimescaleDB (chunks are created on demand). Concurrent
-- callers are safe: a partition created meanwhile by another session is skipped.
CREATE OR REPLACE FUNCTION ensure_partitions(p_from date, p_to date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  parent text;
  day date;
  part text;
  created integer := 0;
BEGIN
  FOREACH parent IN ARRAY ARRAY['event', 'job', 'subjob'] LOOP
    CONTINUE WHEN (SELECT relkind FROM pg_class WHERE oid = parent::regclass) <> 'p';
    day := p_from;
    WHILE day <= p_to LOOP
      part := parent || '_p' || to_char(day, 'YYYYMMDD');
      IF to_regclass(part) IS NULL THEN
        BEGIN
          EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                         part, parent, day::timestamp AT TIME ZONE 'UTC',
                         (day + 1)::timestamp AT TIME ZONE 'UTC');
          created := created + 1;
        EXCEPTION WHEN duplicate_table THEN
          NULL;
        END;
      END IF;
      day := day + 1;
    END LOOP;
  END LOOP;
  RETURN created;
END
$$;

-- Removes idempotency keys and anchors older than p_keep, in bounded chunks so that no single
-- statement holds locks for long; returns the number of rows removed.
CREATE OR REPLACE FUNCTION prune_registries(p_keep interval, p_chunk integer DEFAULT 10000)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  removed bigint := 0;
  n bigint;
BEGIN
  LOOP
    DELETE FROM event_key WHERE ctid = ANY (ARRAY(
      SELECT ctid FROM event_key WHERE received_at < now() - p_keep LIMIT p_chunk));
    GET DIAGNOSTICS n = ROW_COUNT;
    removed := removed + n;
    EXIT WHEN n < p_chunk;
  END LOOP;
  LOOP
    DELETE FROM entity_anchor WHERE ctid = ANY (ARRAY(
      SELECT ctid FROM entity_anchor WHERE created_at < now() - p_keep LIMIT p_chunk));
    GET DIAGNOSTICS n = ROW_COUNT;
    removed := removed + n;
    EXIT WHEN n < p_chunk;
  END LOOP;
  RETURN removed;
END
$$;

SELECT ensure_partitions(((now() AT TIME ZONE 'UTC')::date - 40), ((now() AT TIME ZONE 'UTC')::date + 7));
