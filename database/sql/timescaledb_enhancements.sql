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
-- The app filter of /v1/jobs and the per-app analytics.
CREATE INDEX IF NOT EXISTS job_app_last_event_idx ON job (app_id, last_event_at DESC);

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

-- When each aggregate was last refreshed and how many buckets that rewrote (plain path; the
-- TimescaleDB path reads timescaledb_information.job_stats instead).
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
-- bin used (e.g. '[140:142]={3,0,1}'), so a typical app needs a few dozen elements.
CREATE OR REPLACE FUNCTION duration_histogram_bin(v double precision)
RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN v IS NULL THEN NULL
              WHEN v < 0.001 THEN 0
              ELSE least(1 + floor(ln(v / 0.001) / ln(1.05))::integer, 1000) END
$$;

CREATE OR REPLACE FUNCTION duration_histogram_bin_lower(bin integer)
RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN bin <= 0 THEN 0 ELSE 0.001 * power(1.05::double precision, bin - 1) END
$$;

CREATE OR REPLACE FUNCTION duration_histogram_add(h integer[], v double precision)
RETURNS integer[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  bin integer := duration_histogram_bin(v);
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
  IF h IS NULL OR p IS NULL THEN RETURN NULL; END IF;
  SELECT sum(x) INTO total FROM unnest(h) x;
  IF total IS NULL OR total = 0 THEN RETURN NULL; END IF;
  target := least(greatest(p, 0), 1) * (total - 1);
  FOR i IN array_lower(h, 1) .. array_upper(h, 1) LOOP
    n := coalesce(h[i], 0);
    IF n > 0 AND target < seen + n THEN
      pos := (target - seen + 0.5) / n;
      lo := duration_histogram_bin_lower(i);
      hi := duration_histogram_bin_lower(i + 1);
      IF i = 0 THEN RETURN lo + (hi - lo) * pos; END IF;
      RETURN lo * power(hi / lo, pos);
    END IF;
    seen := seen + n;
  END LOOP;
  RETURN duration_histogram_bin_lower(array_upper(h, 1) + 1);
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
  use_timescaledb constant boolean := EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb');
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
      PERFORM add_continuous_aggregate_policy(lvl.name::regclass,
        start_offset => coalesce(lvl.refresh_start, cfg.refresh_window),
        end_offset => NULL, schedule_interval => lvl.schedule, if_not_exists => true);
      PERFORM add_retention_policy(lvl.name::regclass, drop_after => cfg.keep, if_not_exists => true);
    ELSE
      -- Plain PostgreSQL: a table of the same columns, filled by refresh_job_stats(), trimmed by
      -- apply_job_stats_retention().
      EXECUTE format('CREATE TABLE %I AS %s', lvl.name,
                     job_stats_query(lvl.source,
                                     format('date_trunc(%L, %I, ''UTC'')', job_stats_unit(lvl.width), time_column),
                                     'WHERE false'));
      EXECUTE format('ALTER TABLE %I ADD PRIMARY KEY (bucket, site_id, app_id, status)', lvl.name);
    END IF;
  END LOOP;

  -- Compression of raw data after 3 days (TimescaleDB only): segmented by site, app and status,
  -- ordered by time; the primary keys' columns are in segmentby/orderby as TimescaleDB requires.
  IF use_timescaledb THEN
    ALTER TABLE event SET (timescaledb.compress,
      timescaledb.compress_segmentby = 'site_id, app_id, status',
      timescaledb.compress_orderby = 'at DESC');
    ALTER TABLE job SET (timescaledb.compress,
      timescaledb.compress_segmentby = 'site_id, app_id, status',
      timescaledb.compress_orderby = 'anchor_at DESC, job_id');
    ALTER TABLE subjob SET (timescaledb.compress,
      timescaledb.compress_segmentby = 'site_id, app_id, status',
      timescaledb.compress_orderby = 'anchor_at DESC, subjob_id');
    PERFORM add_compression_policy('event', compress_after => interval '3 days', if_not_exists => true);
    PERFORM add_compression_policy('job', compress_after => interval '3 days', if_not_exists => true);
    PERFORM add_compression_policy('subjob', compress_after => interval '3 days', if_not_exists => true);
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

-- Refreshes the statistics: takes the hours logged by the ingest writer (those older than the
-- refresh window are dropped from the log, see job_stats_config) and recomputes exactly the
-- buckets that contain them. One refresh at a time per database: a concurrent call returns at
-- once, with no rows. The Local API calls it every minute, `dataplane db maintain` too. On
-- TimescaleDB the policies refresh the continuous aggregates; this only clears the log.
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
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN RETURN; END IF;
  FOR aggregate, buckets IN SELECT * FROM refresh_job_stats_buckets(hours) LOOP
    INSERT INTO job_stats_refresh AS s (aggregate, refreshed_at, buckets)
    VALUES (aggregate, now(), buckets)
    ON CONFLICT ON CONSTRAINT job_stats_refresh_pkey
    DO UPDATE SET refreshed_at = excluded.refreshed_at, buckets = excluded.buckets;
    RETURN NEXT;
  END LOOP;
END
$$;

-- Aggregate retention on plain PostgreSQL: removes buckets older than job_stats_config.keep
-- from the four rollup tables; returns the number of rows removed. (On TimescaleDB the
-- add_retention_policy above does this; the function then returns 0.)
CREATE OR REPLACE FUNCTION apply_job_stats_retention()
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  removed bigint := 0;
  n bigint;
  lvl record;
  cutoff constant timestamptz := now() - (SELECT keep FROM job_stats_config);
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN RETURN 0; END IF;
  FOR lvl IN SELECT * FROM job_stats_levels() LOOP
    -- A bucket goes once all of it is older than the cutoff.
    EXECUTE format('DELETE FROM %I WHERE bucket + $1 <= $2', lvl.name) USING lvl.width, cutoff;
    GET DIAGNOSTICS n = ROW_COUNT;
    removed := removed + n;
  END LOOP;
  RETURN removed;
END
$$;

-- The schema generation the three files create; the services refuse to start below the one they
-- need (defined last, so that a database with only schema.sql applied reads as not migrated).
CREATE OR REPLACE FUNCTION dataplane_schema_version() RETURNS integer
LANGUAGE sql IMMUTABLE AS 'SELECT 2';
