---------------------------------------------------------------------------------------------
-- Monitoring and maintenance (`dataplane db monitor`, `dataplane db maintain`).

-- Rows and newest bucket of one aggregate.
CREATE OR REPLACE FUNCTION job_stats_extent(p_name text, OUT n bigint, OUT newest timestamptz)
LANGUAGE plpgsql STABLE AS $$
BEGIN
  EXECUTE format('SELECT count(*), max(bucket) FROM %I', p_name) INTO n, newest;
END
$$;

-- A health report of the database as one JSON document: tables with their partitions or chunks
-- and sizes, aggregate freshness, compression, slow queries, replication, and the archive
-- backlog (raw partitions/chunks whose whole range is older than p_archive_after, the
-- archiver's ARCHIVE_AFTER_HOURS, and are still in the hot tables).
CREATE OR REPLACE FUNCTION dataplane_monitor_report(p_archive_after interval DEFAULT interval '72 hours')
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
  ts boolean := dataplane_backend() = 'timescaledb';
  report jsonb;
  aggregates jsonb;
BEGIN
  IF ts THEN
    EXECUTE $q$
      SELECT coalesce(jsonb_agg(jsonb_build_object(
               'aggregate', ca.view_name, 'kind', 'continuous aggregate',
               'refreshed_at', js.last_successful_finish, 'last_run_status', js.last_run_status,
               'next_start', js.next_start) ORDER BY ca.view_name), '[]')
      FROM timescaledb_information.continuous_aggregates ca
      LEFT JOIN timescaledb_information.jobs j
        ON j.proc_name = 'policy_refresh_continuous_aggregate'
       AND j.hypertable_name = ca.materialization_hypertable_name
      LEFT JOIN timescaledb_information.job_stats js ON js.job_id = j.job_id
      WHERE ca.view_name LIKE 'job\_%\_stats' $q$ INTO aggregates;
  ELSE
    SELECT coalesce(jsonb_agg(jsonb_build_object(
             'aggregate', l.name, 'kind', 'rollup table', 'rows', e.n, 'newest_bucket', e.newest,
             'refreshed_at', r.refreshed_at, 'buckets_last_refresh', r.buckets) ORDER BY l.width), '[]')
    INTO aggregates
    FROM job_stats_levels() l
    LEFT JOIN job_stats_refresh r ON r.aggregate = l.name
    CROSS JOIN LATERAL job_stats_extent(l.name) e;
  END IF;

  -- Partitions/chunks are listed once; every section below reads this list.
  WITH parts AS MATERIALIZED (SELECT * FROM compression_status_report())
  SELECT jsonb_build_object(
    'generated_at', now(),
    'database', jsonb_build_object(
      'name', current_database(),
      'server_version', current_setting('server_version'),
      'size_bytes', pg_database_size(current_database()),
      'timescaledb', (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'),
      'backend', dataplane_backend(),
      'backend_note', dataplane_backend_note(),
      'in_recovery', pg_is_in_recovery(),
      'schema_version', dataplane_schema_version()),
    'tables', (
      SELECT jsonb_agg(jsonb_build_object(
               'table', t.name,
               'partitions', (SELECT count(*) FROM parts c WHERE c.table_name = t.name),
               'rows_estimate', greatest((SELECT sum(greatest(c.reltuples, 0))::bigint FROM pg_class c
                                          WHERE c.oid = to_regclass(t.name)
                                             OR c.oid IN (SELECT inhrelid FROM pg_inherits
                                                          WHERE inhparent = to_regclass(t.name))), 0),
               'total_bytes', coalesce((SELECT sum(c.total_bytes) FROM parts c
                                        WHERE c.table_name = t.name), 0)
                              + pg_total_relation_size(to_regclass(t.name)))
             ORDER BY t.name)
      FROM unnest(ARRAY['app', 'event', 'job', 'subjob', 'event_key', 'entity_anchor',
                        'job_stats_invalidation', 'alert']) t(name)
      WHERE to_regclass(t.name) IS NOT NULL),
    'aggregates', aggregates,
    'pending_invalidations', jsonb_build_object(
      'hours', (SELECT count(DISTINCT hour) FROM job_stats_invalidation),
      'oldest_recorded_at', (SELECT min(recorded_at) FROM job_stats_invalidation)),
    'compression', (
      SELECT jsonb_build_object(
               'partitions', count(*),
               'compressed', count(*) FILTER (WHERE c.compressed),
               'uncompressed_bytes', coalesce(sum(c.uncompressed_bytes), 0),
               'compressed_bytes', coalesce(sum(c.compressed_bytes), 0),
               'ratio', sum(c.uncompressed_bytes) FILTER (WHERE c.compressed)::double precision
                          / nullif(sum(c.compressed_bytes) FILTER (WHERE c.compressed), 0))
      FROM parts c),
    'slow_queries', (
      SELECT coalesce(jsonb_agg(to_jsonb(q)), '[]')
      FROM (SELECT * FROM slow_queries_report(100, 5)) q),
    'replication', jsonb_build_object(
      'replicas', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                     'client', r.client_addr, 'application', r.application_name, 'state', r.state,
                     'sync_state', r.sync_state,
                     'replay_lag_s', extract(epoch FROM r.replay_lag))), '[]')
                   FROM pg_stat_replication r),
      'replay_delay_s', CASE WHEN pg_is_in_recovery()
                             THEN extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END),
    'archive_backlog', (
      SELECT jsonb_build_object(
               'archive_after_hours', (extract(epoch FROM p_archive_after) / 3600)::double precision,
               'partitions', count(*) FILTER (WHERE c.total_bytes > 0),
               'bytes', coalesce(sum(c.total_bytes), 0),
               'oldest', min(c.range_start) FILTER (WHERE c.total_bytes > 0))
      FROM parts c
      WHERE c.range_end <= now() - p_archive_after
        AND EXISTS (SELECT 1 FROM pg_class k WHERE k.relname = c.partition AND k.relpages > 0)))
  INTO report;
  RETURN report;
END
$$;

-- ANALYZE for the tables and partitions whose statistics are missing or stale (rows changed
-- since the last analyze above 10 % of the table, or never analyzed with rows in it); returns
-- the names analyzed. Autovacuum normally does this; this catches up after bulk loads.
CREATE OR REPLACE FUNCTION analyze_stale_tables()
RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
  t record;
BEGIN
  FOR t IN
    SELECT s.relid::regclass::text AS name
    FROM pg_stat_user_tables s
    WHERE s.schemaname = current_schema()
      AND (s.n_mod_since_analyze > greatest(50, 0.1 * s.n_live_tup)
           OR (coalesce(s.last_analyze, s.last_autoanalyze) IS NULL AND s.n_live_tup > 0))
    ORDER BY s.n_mod_since_analyze DESC
    LIMIT 200
  LOOP
    EXECUTE format('ANALYZE %s', t.name);
    RETURN NEXT t.name;
  END LOOP;
END
$$;
