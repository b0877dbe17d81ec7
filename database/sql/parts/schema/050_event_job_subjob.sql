-- The time-series tables event, job and subjob, created together: the backend is chosen once for
-- the three (when job does not exist yet), and a re-run keys on what exists, so it never switches.
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

-- Indexes, created on the parent: PostgreSQL and TimescaleDB both propagate them to every
-- partition/chunk, present and future. The btree ones serve the queries of SPEC §3.
CREATE INDEX IF NOT EXISTS event_entity_at_idx ON event (entity_id, at);
CREATE INDEX IF NOT EXISTS event_parent_at_idx ON event (parent_id, at) WHERE parent_id IS NOT NULL;

CREATE INDEX IF NOT EXISTS job_last_event_idx ON job (last_event_at DESC, job_id DESC);
CREATE INDEX IF NOT EXISTS job_status_last_event_idx ON job (status, last_event_at DESC, job_id DESC);
CREATE INDEX IF NOT EXISTS job_site_last_event_idx ON job (site_id, last_event_at DESC, job_id DESC);
CREATE INDEX IF NOT EXISTS job_key_idx ON job (job_key) WHERE job_key IS NOT NULL;
-- Metadata search (e.g. metadata @> '{"tool":"ASML-07"}') on the current state of jobs and subjobs.
CREATE INDEX IF NOT EXISTS job_metadata_gin ON job USING gin (metadata jsonb_path_ops);
-- The statistics refresh of plain PostgreSQL (refresh_job_stats_buckets,
-- timescaledb_enhancements.sql) reads a job hour by anchor_at; rows arrive in anchor order, so a
-- BRIN index finds an hour in a day's partition at almost no maintenance cost.
CREATE INDEX IF NOT EXISTS job_anchor_brin ON job USING brin (anchor_at) WITH (pages_per_range = 16);

CREATE INDEX IF NOT EXISTS subjob_job_idx ON subjob (job_id);
CREATE INDEX IF NOT EXISTS subjob_last_event_idx ON subjob (last_event_at DESC, subjob_id DESC);
CREATE INDEX IF NOT EXISTS subjob_status_last_event_idx ON subjob (status, last_event_at DESC, subjob_id DESC);
CREATE INDEX IF NOT EXISTS subjob_key_idx ON subjob (job_key) WHERE job_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS subjob_metadata_gin ON subjob USING gin (metadata jsonb_path_ops);

-- The fold of a group's metadata per entity, oldest event first (newer keys win), that writers
-- before issue 11's reduction in C++ call; kept for such a writer during an upgrade (the current
-- writer folds in ingest/group_fold.cc, by the same rule).
CREATE OR REPLACE AGGREGATE dataplane_jsonb_merge(jsonb) (
  SFUNC = jsonb_concat, STYPE = jsonb, INITCOND = '{}'
);
