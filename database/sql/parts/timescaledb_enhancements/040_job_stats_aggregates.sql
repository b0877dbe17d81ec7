---------------------------------------------------------------------------------------------
-- Creates the four aggregates that do not exist yet, on the path of this database's backend.
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
END
$$;
