---------------------------------------------------------------------------------------------
-- Retention of the statistics and the alerts: alerts older than job_stats_config.keep, and on
-- plain PostgreSQL the buckets of the four rollup tables that lie entirely before it (on
-- TimescaleDB the aggregates' retention policies, created with them above, trim them). Returns
-- the rows removed.
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
