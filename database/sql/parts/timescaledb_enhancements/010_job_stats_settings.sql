-- dataplane: the time-series layer on top of schema.sql — job statistics at four bucket sizes,
-- compression of raw data, health views, analytics and alerts, retention, and the functions of
-- `dataplane db monitor` and `db maintain`. Applied after schema.sql, any number of times, on
-- TimescaleDB and plain PostgreSQL alike.
--
-- Two paths, one meaning. Where the timescaledb extension is present the statistics are real
-- continuous aggregates (hourly on the job hypertable; daily on the hourly one; weekly and
-- monthly on the daily one) with refresh and retention policies. On plain
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
