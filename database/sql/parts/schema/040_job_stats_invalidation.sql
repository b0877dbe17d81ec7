-- Hours whose jobs changed since the statistics were last refreshed (timescaledb_enhancements.sql,
-- refresh_job_stats), appended by the ingest writer once per batch. No unique index on purpose:
-- concurrent writers never wait for each other here; the refresh de-duplicates.
CREATE TABLE IF NOT EXISTS job_stats_invalidation (
  hour        timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS job_stats_invalidation_hour_idx ON job_stats_invalidation (hour);
