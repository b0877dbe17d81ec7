-- dataplane: the time-series layer on top of schema.sql — job statistics at four bucket sizes,
-- compression, retention, health views and analytics functions. Applied after schema.sql, any
-- number of times, on TimescaleDB and plain PostgreSQL alike.
--
-- Two paths, one meaning. Where the timescaledb extension is present the statistics are real
-- continuous aggregates (hourly on the job hypertable; daily on the hourly one; weekly and
-- monthly on the daily one) with refresh, retention and compression policies. On plain
-- PostgreSQL the same four names are rollup tables with the same columns, kept current by
-- refresh_job_stats(): the ingest writer logs the hours it touched (job_stats_invalidation,
-- once per batch) and the refresh recomputes only those hours, then the days, weeks and months
-- that contain them, from the level below — exactly the hierarchy of the TimescaleDB path. Both
-- paths compute every column with the same SQL expressions, written once below (job_stats_*).
--
-- A job is counted in the bucket of its anchor_at (the time of the first event received for it,
-- which places its row; see schema.sql) under its current status. Durations: the job's
-- duration_s metric, else finished_at - started_at. Percentiles come from a log-scale histogram
-- (5 % wide bins) so that they roll up from hours to months; they are within 2.5 % of the exact
-- value (docs/architecture.md, "Job statistics").
SET client_min_messages = warning;

-- Metadata search (e.g. metadata @> '{"tool":"ASML-07"}') on current state and history.
CREATE INDEX IF NOT EXISTS job_metadata_gin ON job USING gin (metadata jsonb_path_ops);
CREATE INDEX IF NOT EXISTS subjob_metadata_gin ON subjob USING gin (metadata jsonb_path_ops);
-- The refresh reads a job hour by anchor_at; rows arrive in anchor order, so a BRIN index finds
-- an hour in a day's partition at almost no maintenance cost.
CREATE INDEX IF NOT EXISTS job_anchor_brin ON job USING brin (anchor_at) WITH (pages_per_range = 16);

---------------------------------------------------------------------------------------------
-- Settings of the statistics layer (one row). refresh_window: how far back a late event still
-- changes the statistics — keep it at most the archiver's ARCHIVE_AFTER_HOURS, because older raw
-- rows may already be archived away and a recount would lose them. keep: aggregate retention.
CREATE TABLE IF NOT EXISTS job_stats_config (
  id             boolean PRIMARY KEY DEFAULT true CHECK (id),
  refresh_window interval NOT NULL DEFAULT interval '3 days',
  keep           interval NOT NULL DEFAULT interval '90 days'
);
INSERT INTO job_stats_config DEFAULT VALUES ON CONFLICT DO NOTHING;

-- When each aggregate was last refreshed by refresh_job_stats() and how many buckets whose jobs
-- changed that covered (on TimescaleDB: the time `dataplane` last ran its refresh statement; the
-- policies' own runs are in timescaledb_information.job_stats).
CREATE TABLE IF NOT EXISTS job_stats_refresh (
  aggregate    text PRIMARY KEY,
  refreshed_at timestamptz NOT NULL,
  buckets      integer NOT NULL
);

---------------------------------------------------------------------------------------------
-- Per-job values the statistics use (immutable: allowed in continuous aggregates).
CREATE OR REPLACE FUNCTION job_duration_s(duration_s double precision, started_at timestamptz,
                                          finished_at timestamptz)
RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(duration_s, extract(epoch FROM finished_at - started_at)::double precision)
$$;

CREATE OR REPLACE FUNCTION job_cpu_s(cpu_user_s double precision, cpu_system_s double precision)
RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN cpu_user_s IS NULL AND cpu_system_s IS NULL THEN NULL
              ELSE coalesce(cpu_user_s, 0) + coalesce(cpu_system_s, 0) END
$$;

-- Duration histogram: bin 0 holds [0, 1 ms); bin k >= 1 holds [1 ms * 1.05^(k-1), 1 ms * 1.05^k).
-- Stored as an integer[] whose subscripts are the bin numbers, from the lowest to the highest
-- bin used (e.g. '[140:142]={3,0,1}'), so a typical app needs a few dozen elements. The bin of
-- v is 0 below 1 ms, else least(1 + floor(ln(v / 1 ms) / ln 1.05), 1000); bin k's lower bound
-- is 1 ms * 1.05^(k-1).
--
-- The PL/pgSQL functions below call no other function of ours (that arithmetic is written out
-- where it is needed): inside a TimescaleDB continuous-aggregate refresh, a PL/pgSQL function
-- that calls a user-defined function makes the refresh fail with "invalid transaction
-- termination" (seen with TimescaleDB 2.28 on PostgreSQL 15). Schema 2 had the two helpers
-- duration_histogram_bin[_lower](); nothing calls them any more.
DROP FUNCTION IF EXISTS duration_histogram_bin(double precision);
DROP FUNCTION IF EXISTS duration_histogram_bin_lower(integer);
CREATE OR REPLACE FUNCTION duration_histogram_add(h integer[], v double precision)
RETURNS integer[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  bin integer := CASE WHEN v IS NULL THEN NULL
                      WHEN v < 0.001 THEN 0
                      ELSE least(1 + floor(ln(v / 0.001) / ln(1.05))::integer, 1000) END;
BEGIN
  IF bin IS NULL THEN RETURN h; END IF;
  IF h IS NULL THEN RETURN array_fill(1, ARRAY[1], ARRAY[bin]); END IF;
  h[bin] := coalesce(h[bin], 0) + 1;  -- a bin outside the bounds extends the array
  RETURN h;
END
$$;

CREATE OR REPLACE FUNCTION duration_histogram_merge_add(a integer[], b integer[])
RETURNS integer[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  IF b IS NULL THEN RETURN a; END IF;
  IF a IS NULL THEN RETURN b; END IF;
  FOR i IN array_lower(b, 1) .. array_upper(b, 1) LOOP
    IF coalesce(b[i], 0) <> 0 THEN
      a[i] := coalesce(a[i], 0) + b[i];
    END IF;
  END LOOP;
  RETURN a;
END
$$;

-- Gaps left by extending the array read as NULL; the stored form has zeros.
CREATE OR REPLACE FUNCTION duration_histogram_final(h integer[])
RETURNS integer[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_replace(h, NULL, 0)
$$;

CREATE OR REPLACE AGGREGATE duration_histogram(double precision) (
  SFUNC = duration_histogram_add, STYPE = integer[], FINALFUNC = duration_histogram_final,
  COMBINEFUNC = duration_histogram_merge_add, PARALLEL = SAFE);

CREATE OR REPLACE AGGREGATE duration_histogram_merge(integer[]) (
  SFUNC = duration_histogram_merge_add, STYPE = integer[], FINALFUNC = duration_histogram_final,
  COMBINEFUNC = duration_histogram_merge_add, PARALLEL = SAFE);

-- The p-quantile (0..1) of a histogram, ranked like percentile_cont and interpolated
-- geometrically inside its bin; NULL for an empty histogram.
CREATE OR REPLACE FUNCTION duration_histogram_percentile(h integer[], p double precision)
RETURNS double precision LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  total bigint := 0;
  seen bigint := 0;
  target double precision;
  n integer;
  pos double precision;
  lo double precision;
  hi double precision;
BEGIN
  IF h IS NULL OR p IS NULL OR cardinality(h) = 0 THEN RETURN NULL; END IF;
  FOR i IN array_lower(h, 1) .. array_upper(h, 1) LOOP
    total := total + coalesce(h[i], 0);
  END LOOP;
  IF total = 0 THEN RETURN NULL; END IF;
  target := least(greatest(p, 0), 1) * (total - 1);
  FOR i IN array_lower(h, 1) .. array_upper(h, 1) LOOP
    n := coalesce(h[i], 0);
    IF n > 0 AND target < seen + n THEN
      pos := (target - seen + 0.5) / n;
      -- the lower bounds of bins i and i + 1
      lo := CASE WHEN i <= 0 THEN 0 ELSE 0.001 * power(1.05::double precision, i - 1) END;
      hi := 0.001 * power(1.05::double precision, i);
      IF i = 0 THEN RETURN lo + (hi - lo) * pos; END IF;
      RETURN lo * power(hi / lo, pos);
    END IF;
    seen := seen + n;
  END LOOP;
  RETURN 0.001 * power(1.05::double precision, array_upper(h, 1));  -- upper bound of the last
END
$$;

---------------------------------------------------------------------------------------------
-- The four aggregates. Their columns (both paths):
--   bucket, site_id, app_id, status, app_name, job_count, succeeded_count, failed_count,
--   canceled_count, success_rate (succeeded / finished; NULL when none finished),
--   duration_count, duration_sum, duration_avg, duration_min, duration_max, duration_p50,
--   duration_p95, duration_hist, cpu_count, cpu_sum, cpu_avg (user + system seconds),
--   mem_count, mem_sum, mem_avg, mem_max (MB)
-- The sums and counts are what lets a coarser level, or the API's group_by, merge rows exactly.
--
-- job_stats_query() is the one definition of every column: the SELECT of a level from its
-- source — the job table for the hourly level, the level below for the others. p_bucket is the
-- bucket expression (time_bucket on TimescaleDB, date_trunc on plain PostgreSQL: the same
-- UTC-aligned buckets, weeks starting on Monday), p_where restricts the source rows.
CREATE OR REPLACE FUNCTION job_stats_query(p_source text, p_bucket text, p_where text)
RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
  SELECT CASE WHEN p_source = 'job' THEN format($q$
    SELECT %1$s AS bucket, site_id, app_id, status,
      max(app_name) AS app_name,
      count(*) AS job_count,
      sum(CASE WHEN status = 'succeeded' THEN 1 ELSE 0 END) AS succeeded_count,
      sum(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS failed_count,
      sum(CASE WHEN status = 'canceled' THEN 1 ELSE 0 END) AS canceled_count,
      sum(CASE WHEN status = 'succeeded' THEN 1 ELSE 0 END)::double precision
        / nullif(sum(CASE WHEN status <> 'running' THEN 1 ELSE 0 END), 0) AS success_rate,
      count(job_duration_s(duration_s, started_at, finished_at)) AS duration_count,
      sum(job_duration_s(duration_s, started_at, finished_at)) AS duration_sum,
      sum(job_duration_s(duration_s, started_at, finished_at))
        / nullif(count(job_duration_s(duration_s, started_at, finished_at)), 0) AS duration_avg,
      min(job_duration_s(duration_s, started_at, finished_at)) AS duration_min,
      max(job_duration_s(duration_s, started_at, finished_at)) AS duration_max,
      duration_histogram_percentile(
        duration_histogram(job_duration_s(duration_s, started_at, finished_at)), 0.5) AS duration_p50,
      duration_histogram_percentile(
        duration_histogram(job_duration_s(duration_s, started_at, finished_at)), 0.95) AS duration_p95,
      duration_histogram(job_duration_s(duration_s, started_at, finished_at)) AS duration_hist,
      count(job_cpu_s(cpu_user_s, cpu_system_s)) AS cpu_count,
      sum(job_cpu_s(cpu_user_s, cpu_system_s)) AS cpu_sum,
      sum(job_cpu_s(cpu_user_s, cpu_system_s))
        / nullif(count(job_cpu_s(cpu_user_s, cpu_system_s)), 0) AS cpu_avg,
      count(mem_max_mb) AS mem_count,
      sum(mem_max_mb) AS mem_sum,
      sum(mem_max_mb) / nullif(count(mem_max_mb), 0) AS mem_avg,
      max(mem_max_mb) AS mem_max
    FROM job %2$s
    GROUP BY 1, site_id, app_id, status $q$, p_bucket, p_where)
  ELSE format($q$
    SELECT %1$s AS bucket, site_id, app_id, status,
      max(app_name) AS app_name,
      sum(job_count)::bigint AS job_count,
      sum(succeeded_count)::bigint AS succeeded_count,
      sum(failed_count)::bigint AS failed_count,
      sum(canceled_count)::bigint AS canceled_count,
      sum(succeeded_count)::double precision
        / nullif(sum(succeeded_count + failed_count + canceled_count), 0) AS success_rate,
      sum(duration_count)::bigint AS duration_count,
      sum(duration_sum) AS duration_sum,
      sum(duration_sum) / nullif(sum(duration_count), 0) AS duration_avg,
      min(duration_min) AS duration_min,
      max(duration_max) AS duration_max,
      duration_histogram_percentile(duration_histogram_merge(duration_hist), 0.5) AS duration_p50,
      duration_histogram_percentile(duration_histogram_merge(duration_hist), 0.95) AS duration_p95,
      duration_histogram_merge(duration_hist) AS duration_hist,
      sum(cpu_count)::bigint AS cpu_count,
      sum(cpu_sum) AS cpu_sum,
      sum(cpu_sum) / nullif(sum(cpu_count), 0) AS cpu_avg,
      sum(mem_count)::bigint AS mem_count,
      sum(mem_sum) AS mem_sum,
      sum(mem_sum) / nullif(sum(mem_count), 0) AS mem_avg,
      max(mem_max) AS mem_max
    FROM %2$I %3$s
    GROUP BY 1, site_id, app_id, status $q$, p_bucket, p_source, p_where)
  END
$fn$;

-- The hierarchy: name, bucket width, source, and the TimescaleDB policy's schedule and refresh
-- start (NULL: job_stats_config.refresh_window). Weekly and monthly both build on daily: a week
-- does not divide a month.
CREATE OR REPLACE FUNCTION job_stats_levels()
RETURNS TABLE (name text, width interval, source text, schedule interval, refresh_start interval)
LANGUAGE sql IMMUTABLE AS $$
  VALUES ('job_hourly_stats',  interval '1 hour',  'job',              interval '1 minute',  NULL::interval),
         ('job_daily_stats',   interval '1 day',   'job_hourly_stats', interval '5 minutes', interval '7 days'),
         ('job_weekly_stats',  interval '1 week',  'job_daily_stats',  interval '1 hour',    interval '5 weeks'),
         ('job_monthly_stats', interval '1 month', 'job_daily_stats',  interval '1 hour',    interval '2 months')
$$;

-- date_trunc's unit for a bucket width (plain path).
CREATE OR REPLACE FUNCTION job_stats_unit(p_width interval)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE p_width WHEN interval '1 hour' THEN 'hour' WHEN interval '1 day' THEN 'day'
                      WHEN interval '1 week' THEN 'week' ELSE 'month' END
$$;

DO $$
DECLARE
  use_timescaledb constant boolean := dataplane_backend() = 'timescaledb';
  cfg job_stats_config;
  lvl record;
  time_column text;
BEGIN
  SELECT * INTO cfg FROM job_stats_config;
  FOR lvl IN SELECT * FROM job_stats_levels() LOOP
    CONTINUE WHEN to_regclass(lvl.name) IS NOT NULL;
    time_column := CASE WHEN lvl.source = 'job' THEN 'anchor_at' ELSE 'bucket' END;
    IF use_timescaledb THEN
      -- TimescaleDB: a continuous aggregate (hierarchical above the hourly one), real-time (rows
      -- not yet materialized are read from the source), refreshed and trimmed by policies.
      EXECUTE format('CREATE MATERIALIZED VIEW %I WITH (timescaledb.continuous, '
                     'timescaledb.materialized_only = false) AS %s WITH NO DATA', lvl.name,
                     job_stats_query(lvl.source,
                                     format('time_bucket(%L::interval, %I)', lvl.width, time_column), ''));
      -- Chunks of the materialized rows: by default 10 times the source's (10 days hourly, but
      -- 100 days daily, 1 000 weekly, 10 000 monthly), too coarse for the 90-day retention
      -- policy, which drops whole chunks. Set before any row is materialized.
      PERFORM set_chunk_time_interval(
        (SELECT format('%I.%I', materialization_hypertable_schema, materialization_hypertable_name)
         FROM timescaledb_information.continuous_aggregates WHERE view_name = lvl.name)::regclass,
        CASE WHEN lvl.width = interval '1 hour' THEN interval '10 days' ELSE interval '30 days' END);
      PERFORM add_continuous_aggregate_policy(lvl.name::regclass,
        start_offset => coalesce(lvl.refresh_start, cfg.refresh_window),
        end_offset => NULL, schedule_interval => lvl.schedule, if_not_exists => true);
      PERFORM add_retention_policy(lvl.name::regclass, drop_after => cfg.keep, if_not_exists => true);
    ELSE
      -- Plain PostgreSQL: a table of the same columns, kept current by refresh_job_stats() and
      -- trimmed by apply_job_stats_retention(). Created from the jobs already there (or the level
      -- below, created just before), so a database upgraded to this schema starts complete.
      EXECUTE format('CREATE TABLE %I AS %s', lvl.name,
                     job_stats_query(lvl.source,
                                     format('date_trunc(%L, %I, ''UTC'')', job_stats_unit(lvl.width), time_column),
                                     ''));
      EXECUTE format('ALTER TABLE %I ADD PRIMARY KEY (bucket, site_id, app_id, status)', lvl.name);
    END IF;
  END LOOP;

  -- Compression of raw data after 3 days (TimescaleDB only): segmented by site, app and status,
  -- ordered by time; the primary keys' columns are in segmentby/orderby as TimescaleDB requires.
  -- Configured once: TimescaleDB refuses to change the settings while chunks are compressed.
  IF use_timescaledb THEN
    FOR lvl IN SELECT * FROM (VALUES ('event', 'at DESC'), ('job', 'anchor_at DESC, job_id'),
                                     ('subjob', 'anchor_at DESC, subjob_id')) t(name, orderby)
    LOOP
      IF NOT EXISTS (SELECT 1 FROM timescaledb_information.hypertables
                     WHERE hypertable_name = lvl.name AND compression_enabled) THEN
        EXECUTE format('ALTER TABLE %I SET (timescaledb.compress, '
                       'timescaledb.compress_segmentby = %L, timescaledb.compress_orderby = %L)',
                       lvl.name, 'site_id, app_id, status', lvl.orderby);
      END IF;
      PERFORM add_compression_policy(lvl.name::regclass, compress_after => interval '3 days',
                                     if_not_exists => true);
    END LOOP;
    -- Deliberately no add_retention_policy on event, job or subjob: raw rows are removed only by
    -- the archiver, range by range, after the range is archived (drop_chunks on that range).
  END IF;
END
$$;

-- Recomputes the buckets that contain the given hours, level by level: hourly from the jobs
-- anchored in each hour (BRIN on anchor_at), every level above from its source level. Plain
-- PostgreSQL only. Returns one row per aggregate with the number of buckets rewritten.
CREATE OR REPLACE FUNCTION refresh_job_stats_buckets(p_hours timestamptz[])
RETURNS TABLE (aggregate text, buckets integer) LANGUAGE plpgsql AS $$
DECLARE
  lvl record;
  time_column text;
  targets timestamptz[];
  target timestamptz;
BEGIN
  FOR lvl IN SELECT * FROM job_stats_levels() LOOP
    SELECT array_agg(DISTINCT date_trunc(job_stats_unit(lvl.width), h, 'UTC')) INTO targets
    FROM unnest(p_hours) h;
    aggregate := lvl.name;
    buckets := coalesce(cardinality(targets), 0);
    RETURN NEXT;
    CONTINUE WHEN buckets = 0;
    time_column := CASE WHEN lvl.source = 'job' THEN 'anchor_at' ELSE 'bucket' END;
    EXECUTE format('DELETE FROM %I WHERE bucket = ANY ($1)', lvl.name) USING targets;
    FOREACH target IN ARRAY targets LOOP
      EXECUTE format('INSERT INTO %I %s', lvl.name,
                     job_stats_query(lvl.source,
                                     format('date_trunc(%L, %I, ''UTC'')', job_stats_unit(lvl.width), time_column),
                                     format('WHERE %1$I >= $1 AND %1$I < $1 + $2', time_column)))
        USING target, lvl.width;
    END LOOP;
  END LOOP;
END
$$;

CREATE OR REPLACE FUNCTION job_stats_record_refresh(p_aggregate text, p_buckets integer)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO job_stats_refresh AS s (aggregate, refreshed_at, buckets)
  VALUES (p_aggregate, now(), p_buckets)
  ON CONFLICT ON CONSTRAINT job_stats_refresh_pkey
  DO UPDATE SET refreshed_at = excluded.refreshed_at, buckets = excluded.buckets
$$;

-- Refreshes the statistics: takes the hours logged by the ingest writer (those older than the
-- refresh window are dropped from the log, see job_stats_config) and recomputes exactly the
-- buckets that contain them. One refresh at a time per database: a concurrent call returns at
-- once, with no rows. The Local API calls it every minute, `dataplane db maintain` too. On
-- TimescaleDB this only takes the log and counts its buckets; the continuous aggregates are
-- refreshed by their policies, and at once by the statements of job_stats_refresh_statements()
-- (which the callers above run after this when it returned rows).
CREATE OR REPLACE FUNCTION refresh_job_stats()
RETURNS TABLE (aggregate text, buckets integer) LANGUAGE plpgsql AS $$
DECLARE
  hours timestamptz[];
  since constant timestamptz :=
    date_trunc('hour', now() - (SELECT refresh_window FROM job_stats_config), 'UTC');
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('dataplane.refresh_job_stats')) THEN RETURN; END IF;
  WITH taken AS (DELETE FROM job_stats_invalidation RETURNING hour)
  SELECT array_agg(DISTINCT hour) INTO hours FROM taken WHERE hour >= since;
  IF dataplane_backend() = 'timescaledb' THEN
    -- Counted only: job_stats_refresh_statements() rematerialize them.
    FOR aggregate, buckets IN
      SELECT l.name, count(DISTINCT date_trunc(job_stats_unit(l.width), h, 'UTC'))::integer
      FROM job_stats_levels() l LEFT JOIN unnest(hours) h ON true
      GROUP BY l.name, l.width ORDER BY l.width
    LOOP
      PERFORM job_stats_record_refresh(aggregate, buckets);
      RETURN NEXT;
    END LOOP;
  ELSE
    FOR aggregate, buckets IN SELECT * FROM refresh_job_stats_buckets(hours) LOOP
      PERFORM job_stats_record_refresh(aggregate, buckets);
      RETURN NEXT;
    END LOOP;
  END IF;
END
$$;

-- TimescaleDB: the statements that refresh the four continuous aggregates now, one row per
-- aggregate with the statement that refreshes it, lowest level
-- first (each level above reads the one below), each over its policy's window
-- (job_stats_levels().refresh_start, else the refresh window). TimescaleDB rematerializes only
-- the buckets its own invalidation log names inside that window, so they cost little when
-- little changed. Each must run on its own, outside any transaction block, function or
-- procedure (refresh_continuous_aggregate() commits as it goes and refuses them all), so this
-- only writes them: `dataplane` runs them after refresh_job_stats(); from psql,
--   SELECT * FROM refresh_job_stats(); SELECT statement FROM job_stats_refresh_statements() \gexec
-- None on plain PostgreSQL, where refresh_job_stats() did the work.
CREATE OR REPLACE FUNCTION job_stats_refresh_statements()
RETURNS TABLE (aggregate text, statement text) LANGUAGE sql STABLE AS $$
  SELECT l.name, format('CALL refresh_continuous_aggregate(%L, %L, NULL)', l.name,
                now() - coalesce(l.refresh_start, c.refresh_window))
  FROM job_stats_levels() l CROSS JOIN job_stats_config c
  WHERE dataplane_backend() = 'timescaledb'
  ORDER BY l.width
$$;

-- Retention of what this file adds: alerts older than job_stats_config.keep, and on plain
-- PostgreSQL the buckets of the four rollup tables that lie entirely before it (on TimescaleDB
-- the add_retention_policy calls above trim the aggregates). Returns the rows removed.
CREATE OR REPLACE FUNCTION apply_job_stats_retention()
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  removed bigint := 0;
  n bigint;
  lvl record;
  cutoff constant timestamptz := now() - (SELECT keep FROM job_stats_config);
BEGIN
  DELETE FROM alert WHERE created_at < cutoff;
  GET DIAGNOSTICS removed = ROW_COUNT;
  IF dataplane_backend() = 'timescaledb' THEN RETURN removed; END IF;
  FOR lvl IN SELECT * FROM job_stats_levels() LOOP
    -- A bucket goes once all of it lies before the cutoff.
    EXECUTE format('DELETE FROM %I WHERE bucket + $1 <= $2', lvl.name) USING lvl.width, cutoff;
    GET DIAGNOSTICS n = ROW_COUNT;
    removed := removed + n;
  END LOOP;
  RETURN removed;
END
$$;

---------------------------------------------------------------------------------------------
-- Health views.

-- Per site and app, over the last hour and the last day (jobs with an event in the window):
-- how many are running, succeeded, failed, canceled; success rate of the finished ones; exact
-- p95 duration; time of the latest event.
CREATE OR REPLACE VIEW job_health_summary AS
SELECT w.time_window, j.site_id, j.app_id, max(j.app_name) AS app_name,
       count(*) FILTER (WHERE j.status = 'running') AS running,
       count(*) FILTER (WHERE j.status = 'succeeded') AS succeeded,
       count(*) FILTER (WHERE j.status = 'failed') AS failed,
       count(*) FILTER (WHERE j.status = 'canceled') AS canceled,
       (count(*) FILTER (WHERE j.status = 'succeeded'))::double precision
         / nullif(count(*) FILTER (WHERE j.status <> 'running'), 0) AS success_rate,
       percentile_cont(0.95) WITHIN GROUP (
         ORDER BY job_duration_s(j.duration_s, j.started_at, j.finished_at)) AS duration_p95_s,
       max(j.last_event_at) AS last_event_at
FROM (VALUES ('1 hour', interval '1 hour'), ('1 day', interval '1 day')) w(time_window, span)
JOIN job j ON j.last_event_at >= now() - w.span
GROUP BY w.time_window, j.site_id, j.app_id;

-- Slow statements: from pg_stat_statements when that extension is installed and loaded
-- (statements whose mean time is at least p_min_ms, by total time), else the statements running
-- for at least p_min_ms now (pg_stat_activity). `source` says which.
CREATE OR REPLACE FUNCTION slow_queries_report(p_min_ms double precision DEFAULT 100,
                                               p_limit integer DEFAULT 20)
RETURNS TABLE (source text, query text, calls bigint, mean_ms double precision,
               total_ms double precision, max_ms double precision, pid integer,
               running_for_ms double precision)
LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements') THEN
    BEGIN
      RETURN QUERY EXECUTE
        'SELECT ''pg_stat_statements''::text, s.query, s.calls, s.mean_exec_time, s.total_exec_time,
                s.max_exec_time, NULL::integer, NULL::double precision
         FROM pg_stat_statements s WHERE s.mean_exec_time >= $1
         ORDER BY s.total_exec_time DESC LIMIT $2' USING p_min_ms, p_limit;
      RETURN;
    EXCEPTION WHEN OTHERS THEN
      NULL;  -- installed but not in shared_preload_libraries: fall back to pg_stat_activity
    END;
  END IF;
  RETURN QUERY
    SELECT 'pg_stat_activity'::text, a.query, NULL::bigint, NULL::double precision,
           NULL::double precision, NULL::double precision, a.pid,
           (extract(epoch FROM clock_timestamp() - a.query_start) * 1000)::double precision
    FROM pg_stat_activity a
    WHERE a.state = 'active' AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend'
      AND clock_timestamp() - a.query_start >= p_min_ms * interval '1 millisecond'
    ORDER BY a.query_start LIMIT p_limit;
END
$$;

CREATE OR REPLACE VIEW slow_queries AS SELECT * FROM slow_queries_report();

-- Per partition (plain PostgreSQL) or chunk (TimescaleDB) of event, job and subjob: its time
-- range, size, whether it is compressed, and the compression ratio. Plain PostgreSQL never
-- compresses: compressed = false, ratio NULL.
CREATE OR REPLACE FUNCTION compression_status_report()
RETURNS TABLE (table_name text, partition text, range_start timestamptz, range_end timestamptz,
               total_bytes bigint, compressed boolean, uncompressed_bytes bigint,
               compressed_bytes bigint, ratio double precision)
LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF dataplane_backend() = 'timescaledb' THEN
    RETURN QUERY EXECUTE $q$
      SELECT c.hypertable_name::text, c.chunk_name::text, c.range_start, c.range_end,
             pg_total_relation_size(format('%I.%I', c.chunk_schema, c.chunk_name)::regclass),
             c.is_compressed, s.before_compression_total_bytes, s.after_compression_total_bytes,
             s.before_compression_total_bytes::double precision
               / nullif(s.after_compression_total_bytes, 0)
      FROM timescaledb_information.chunks c
      LEFT JOIN LATERAL chunk_compression_stats(format('%I.%I', c.hypertable_schema,
                                                       c.hypertable_name)::regclass) s
        ON s.chunk_schema = c.chunk_schema AND s.chunk_name = c.chunk_name
      WHERE c.hypertable_name IN ('event', 'job', 'subjob')
      ORDER BY 1, 3 $q$;
    RETURN;
  END IF;
  RETURN QUERY
    SELECT parent.relname::text, child.relname::text,
           (regexp_match(pg_get_expr(child.relpartbound, child.oid), 'FROM \(''([^'']+)''\)'))[1]::timestamptz,
           (regexp_match(pg_get_expr(child.relpartbound, child.oid), 'TO \(''([^'']+)''\)'))[1]::timestamptz,
           pg_total_relation_size(child.oid), false, pg_total_relation_size(child.oid),
           NULL::bigint, NULL::double precision
    FROM pg_inherits i
    JOIN pg_class parent ON parent.oid = i.inhparent
    JOIN pg_class child ON child.oid = i.inhrelid
    WHERE parent.relname IN ('event', 'job', 'subjob')
      AND parent.relnamespace = to_regnamespace(current_schema())
    ORDER BY 1, 3;
END
$$;

CREATE OR REPLACE VIEW compression_status AS SELECT * FROM compression_status_report();

---------------------------------------------------------------------------------------------
-- Analytics.

-- Job metrics of one site (NULL: all sites) for the jobs anchored in [p_from, p_to): counts by
-- status, success rate of the finished ones, exact duration percentiles, cpu and memory.
CREATE OR REPLACE FUNCTION calculate_job_metrics(p_site text, p_from timestamptz, p_to timestamptz)
RETURNS TABLE (site_id text, total_jobs bigint, running bigint, succeeded bigint, failed bigint,
               canceled bigint, success_rate double precision, duration_avg_s double precision,
               duration_p50_s double precision, duration_p95_s double precision,
               duration_p99_s double precision, duration_max_s double precision,
               cpu_avg_s double precision, mem_avg_mb double precision, mem_max_mb double precision)
LANGUAGE sql STABLE AS $$
  SELECT coalesce(p_site, 'all'), count(*),
         count(*) FILTER (WHERE j.status = 'running'),
         count(*) FILTER (WHERE j.status = 'succeeded'),
         count(*) FILTER (WHERE j.status = 'failed'),
         count(*) FILTER (WHERE j.status = 'canceled'),
         (count(*) FILTER (WHERE j.status = 'succeeded'))::double precision
           / nullif(count(*) FILTER (WHERE j.status <> 'running'), 0),
         avg(d.s), percentile_cont(0.5) WITHIN GROUP (ORDER BY d.s),
         percentile_cont(0.95) WITHIN GROUP (ORDER BY d.s),
         percentile_cont(0.99) WITHIN GROUP (ORDER BY d.s), max(d.s),
         avg(job_cpu_s(j.cpu_user_s, j.cpu_system_s)), avg(j.mem_max_mb), max(j.mem_max_mb)
  FROM job j
  CROSS JOIN LATERAL (SELECT job_duration_s(j.duration_s, j.started_at, j.finished_at) AS s) d
  WHERE j.anchor_at >= p_from AND j.anchor_at < p_to AND (p_site IS NULL OR j.site_id = p_site)
$$;

-- Anomalies of the last p_window:
--   duration_outlier: a job that finished in the window and whose duration is an outlier
--     against its site's and app's baseline (jobs finished in the p_baseline before the window,
--     at least 20 of them): robust z-score 0.6745 * (d - median) / MAD beyond ±p_threshold;
--   failure_rate_spike: per site and app, the share of failed jobs among those finished in the
--     window against the window before it (two-proportion z-test, at least 5 jobs in each),
--     score beyond p_threshold.
-- observed / baseline: the duration and the baseline median (s), or the two failure rates.
CREATE OR REPLACE FUNCTION detect_anomalies(p_window interval DEFAULT interval '1 hour',
                                            p_threshold double precision DEFAULT 3.5,
                                            p_baseline interval DEFAULT interval '1 day')
RETURNS TABLE (anomaly text, site_id text, app_id uuid, app_name text, job_id uuid,
               observed double precision, baseline double precision, score double precision,
               window_start timestamptz, window_end timestamptz)
LANGUAGE sql STABLE AS $$
  WITH bounds AS (
    SELECT now() - p_window AS w_start, now() AS w_end
  ), finished AS (
    SELECT j.site_id, j.app_id, j.app_name, j.job_id, j.status, j.finished_at,
           job_duration_s(j.duration_s, j.started_at, j.finished_at) AS d
    FROM job j, bounds b
    WHERE j.last_event_at >= b.w_start - greatest(p_baseline, p_window) AND j.status <> 'running'
      AND j.finished_at >= b.w_start - greatest(p_baseline, p_window) AND j.finished_at < b.w_end
  ), base AS (
    SELECT f.site_id, f.app_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY f.d) AS median,
           count(*) AS n
    FROM finished f, bounds b
    WHERE f.finished_at >= b.w_start - p_baseline AND f.finished_at < b.w_start AND f.d IS NOT NULL
    GROUP BY f.site_id, f.app_id
  ), spread AS (
    SELECT f.site_id, f.app_id,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(f.d - s.median)) AS mad
    FROM finished f JOIN base s USING (site_id, app_id), bounds b
    WHERE f.finished_at >= b.w_start - p_baseline AND f.finished_at < b.w_start AND f.d IS NOT NULL
    GROUP BY f.site_id, f.app_id
  ), outliers AS (
    SELECT 'duration_outlier'::text AS anomaly, f.site_id, f.app_id, f.app_name, f.job_id,
           f.d AS observed, s.median AS baseline, 0.6745 * (f.d - s.median) / sp.mad AS score,
           b.w_start, b.w_end
    FROM finished f JOIN base s USING (site_id, app_id) JOIN spread sp USING (site_id, app_id), bounds b
    WHERE f.finished_at >= b.w_start AND f.d IS NOT NULL AND s.n >= 20 AND sp.mad > 0
      AND abs(0.6745 * (f.d - s.median) / sp.mad) > p_threshold
  ), rates AS (
    SELECT f.site_id, f.app_id, max(f.app_name) AS app_name,
           count(*) FILTER (WHERE f.finished_at >= b.w_start) AS n1,
           count(*) FILTER (WHERE f.finished_at >= b.w_start AND f.status = 'failed') AS f1,
           count(*) FILTER (WHERE f.finished_at < b.w_start AND f.finished_at >= b.w_start - p_window) AS n0,
           count(*) FILTER (WHERE f.finished_at < b.w_start AND f.finished_at >= b.w_start - p_window
                            AND f.status = 'failed') AS f0
    FROM finished f, bounds b
    GROUP BY f.site_id, f.app_id
  ), spikes AS (
    SELECT 'failure_rate_spike'::text AS anomaly, r.site_id, r.app_id, r.app_name,
           NULL::uuid AS job_id, r.f1::double precision / r.n1 AS observed,
           r.f0::double precision / r.n0 AS baseline,
           (r.f1::double precision / r.n1 - r.f0::double precision / r.n0)
             / nullif(sqrt(p.pooled * (1 - p.pooled) * (1.0 / r.n1 + 1.0 / r.n0)), 0) AS score,
           b.w_start, b.w_end
    FROM rates r, bounds b,
         LATERAL (SELECT (r.f0 + r.f1)::double precision / (r.n0 + r.n1) AS pooled) p
    WHERE r.n1 >= 5 AND r.n0 >= 5
  )
  SELECT * FROM outliers
  UNION ALL
  SELECT * FROM spikes s WHERE s.score > p_threshold
$$;

-- Alerts: de-duplicated (dedup_key), kept as long as the statistics (job_stats_config.keep).
CREATE TABLE IF NOT EXISTS alert (
  alert_id   bigserial PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  kind       text NOT NULL,
  severity   text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  site_id    text,
  app_id     uuid,
  app_name   text,
  job_id     uuid,
  message    text NOT NULL,
  observed   double precision,
  baseline   double precision,
  score      double precision,
  dedup_key  text NOT NULL UNIQUE
);
CREATE INDEX IF NOT EXISTS alert_created_at_idx ON alert (created_at DESC);

-- Writes alerts for the anomalies of the last p_window (detect_anomalies) and for failure rates
-- at or above p_max_failure_rate (at least p_min_jobs finished in the window); returns the
-- alerts it created. A condition raises one alert: a job once, a site/app rate once per hour.
-- Severity: critical for a failure rate at or above p_max_failure_rate or a duration score
-- beyond twice the threshold, else warning.
CREATE OR REPLACE FUNCTION generate_alerts(p_window interval DEFAULT interval '1 hour',
                                           p_threshold double precision DEFAULT 3.5,
                                           p_max_failure_rate double precision DEFAULT 0.5,
                                           p_min_jobs integer DEFAULT 10)
RETURNS SETOF alert LANGUAGE sql AS $$
  WITH hour AS (SELECT to_char(date_trunc('hour', now(), 'UTC'), 'YYYY-MM-DD"T"HH24') AS tag),
  candidates AS (
    SELECT a.anomaly AS kind,
           CASE WHEN a.anomaly = 'failure_rate_spike' AND a.observed >= p_max_failure_rate
                  OR a.anomaly = 'duration_outlier' AND abs(a.score) > 2 * p_threshold
                THEN 'critical' ELSE 'warning' END AS severity,
           a.site_id, a.app_id, a.app_name, a.job_id,
           CASE a.anomaly
             WHEN 'duration_outlier' THEN format('job %s of %s at %s took %s s, baseline median %s s (score %s)',
               a.job_id, a.app_name, a.site_id, round(a.observed::numeric, 1),
               round(a.baseline::numeric, 1), round(a.score::numeric, 1))
             ELSE format('failure rate of %s at %s rose to %s%% from %s%% (score %s)', a.app_name,
               a.site_id, round(100 * a.observed::numeric, 1), round(100 * a.baseline::numeric, 1),
               round(a.score::numeric, 1)) END AS message,
           a.observed, a.baseline, a.score,
           CASE a.anomaly WHEN 'duration_outlier' THEN 'duration_outlier:' || a.job_id
             ELSE format('failure_rate_spike:%s:%s:%s', a.site_id, a.app_id, hour.tag) END AS dedup_key
    FROM detect_anomalies(p_window, p_threshold) a, hour
    UNION ALL
    SELECT 'failure_rate_high', 'critical', j.site_id, j.app_id, max(j.app_name), NULL,
           format('failure rate of %s at %s is %s%% over the last %s (%s of %s finished jobs)',
                  max(j.app_name), j.site_id,
                  round(100 * (count(*) FILTER (WHERE j.status = 'failed'))::numeric / count(*), 1),
                  p_window, count(*) FILTER (WHERE j.status = 'failed'), count(*)),
           (count(*) FILTER (WHERE j.status = 'failed'))::double precision / count(*),
           p_max_failure_rate, NULL,
           format('failure_rate_high:%s:%s:%s', j.site_id, j.app_id, max(hour.tag))
    FROM job j, hour
    WHERE j.last_event_at >= now() - p_window AND j.status <> 'running'
      AND j.finished_at >= now() - p_window
    GROUP BY j.site_id, j.app_id
    HAVING count(*) >= p_min_jobs
       AND (count(*) FILTER (WHERE j.status = 'failed'))::double precision / count(*) >= p_max_failure_rate
  )
  INSERT INTO alert (kind, severity, site_id, app_id, app_name, job_id, message, observed,
                     baseline, score, dedup_key)
  SELECT kind, severity, site_id, app_id, app_name, job_id, message, observed, baseline, score,
         dedup_key
  FROM candidates
  ON CONFLICT (dedup_key) DO NOTHING
  RETURNING *
$$;

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

-- The schema generation the three files create; the services refuse to start below the one they
-- need (defined last, so that a database with only schema.sql applied reads as not migrated).
CREATE OR REPLACE FUNCTION dataplane_schema_version() RETURNS integer
LANGUAGE sql IMMUTABLE AS 'SELECT 3';
