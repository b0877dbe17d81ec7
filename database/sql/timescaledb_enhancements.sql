-- dataplane: indexes and objects beyond the core tables. Applied after schema.sql, any number
-- of times, on TimescaleDB and plain PostgreSQL alike.
SET client_min_messages = warning;

-- Metadata search (e.g. metadata @> '{"tool":"ASML-07"}') on current state and history.
CREATE INDEX IF NOT EXISTS job_metadata_gin ON job USING gin (metadata jsonb_path_ops);
CREATE INDEX IF NOT EXISTS subjob_metadata_gin ON subjob USING gin (metadata jsonb_path_ops);
