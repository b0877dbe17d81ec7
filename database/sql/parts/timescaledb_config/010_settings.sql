-- dataplane: PostgreSQL settings for a time-series workload — many small ingest transactions,
-- short indexed queries, daily partitions dropped whole. Applied last, any number of times.
--
-- Never fails for lack of privilege: each setting is tried on its own and, where the role may
-- not change it (a managed database, a non-owner), a NOTICE says so and names the value to ask
-- for. Two scopes:
--   database  ALTER DATABASE … SET, applied here (needs the database owner; superuser-only
--             parameters need a superuser).
--   server    ALTER SYSTEM, which PostgreSQL refuses inside a transaction or a function, so no
--             SQL file can apply it: `dataplane migrate` applies these right after this file when
--             the role may (superuser, or ALTER SYSTEM granted on the parameter) and reloads the
--             configuration; through psql this file lists them in a NOTICE instead.
-- dataplane_recommended_settings shows every recommendation with the value in effect.
SET client_min_messages = notice;

CREATE OR REPLACE FUNCTION dataplane_recommended_settings()
RETURNS TABLE (name text, recommended text, scope text, reason text)
LANGUAGE sql IMMUTABLE AS $$
  VALUES
    ('jit', 'off', 'database',
     'JIT compilation costs more than it saves on the short indexed queries the APIs run'),
    ('random_page_cost', '1.1', 'database',
     'SSD storage: index probes into daily partitions are nearly as cheap as sequential reads'),
    ('effective_io_concurrency', '200', 'database',
     'SSD storage: bitmap heap scans over time ranges may prefetch widely'),
    ('default_statistics_target', '200', 'database',
     'skewed status and site columns: finer histograms for the planner'),
    ('max_wal_size', '4GB', 'server',
     'continuous ingest: fewer forced checkpoints, fewer full-page writes'),
    ('checkpoint_completion_target', '0.9', 'server',
     'spread checkpoint writes over the interval'),
    ('autovacuum_vacuum_scale_factor', '0.05', 'server',
     'state tables are updated in place: vacuum them before bloat builds up'),
    ('autovacuum_analyze_scale_factor', '0.02', 'server',
     'today''s partitions change fast: keep their statistics current'),
    ('track_io_timing', 'on', 'server',
     'I/O time in pg_stat_statements and EXPLAIN (ANALYZE, BUFFERS) for `dataplane db monitor`'),
    ('log_min_duration_statement', '1000', 'server',
     'log statements slower than one second')
$$;

CREATE OR REPLACE VIEW dataplane_settings AS
SELECT r.name, r.recommended, s.setting AS current, s.unit, r.scope, r.reason,
       s.context AS changes_take_effect
FROM dataplane_recommended_settings() r
LEFT JOIN pg_settings s ON s.name = r.name;

DO $$
DECLARE
  r record;
  pending text := '';
BEGIN
  FOR r IN SELECT * FROM dataplane_recommended_settings() LOOP
    IF r.scope = 'database' THEN
      BEGIN
        EXECUTE format('ALTER DATABASE %I SET %I = %L', current_database(), r.name, r.recommended);
      EXCEPTION WHEN insufficient_privilege THEN
        RAISE NOTICE 'dataplane: not allowed to set % = % on this database (%); leaving it as is',
          r.name, r.recommended, r.reason;
      END;
    ELSIF current_setting(r.name) IS DISTINCT FROM r.recommended THEN
      pending := pending || format(E'\n  ALTER SYSTEM SET %s = %L;  -- %s', r.name, r.recommended, r.reason);
    END IF;
  END LOOP;
  IF pending <> '' THEN
    RAISE NOTICE 'dataplane: server settings to apply as a superuser (`dataplane migrate` does when it may), then SELECT pg_reload_conf();%', pending;
  END IF;
END
$$;
