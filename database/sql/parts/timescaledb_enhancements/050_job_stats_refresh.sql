---------------------------------------------------------------------------------------------
-- Refresh: plain PostgreSQL recomputes the buckets the ingest writer logged; TimescaleDB counts
-- them, then its statements rematerialize the continuous aggregates.

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
-- aggregate with the statement that refreshes it, lowest level first (each level above reads the
-- one below), each over its policy's window (job_stats_levels().refresh_start, else the refresh
-- window). TimescaleDB rematerializes only
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
