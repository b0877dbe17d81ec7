-- dataplane schema: the tables the Local API writes and queries.
--
-- Safe to apply any number of times (psql -f, or `dataplane migrate`), on plain PostgreSQL 14+
-- and on TimescaleDB alike. The time-series tables (event, job, subjob) are
--   * hypertables (1-day chunks) when the timescaledb extension can be created, or
--   * native range partitions, one per day, created ahead by ensure_partitions().
-- The mode is fixed when the tables are first created; re-running never switches it
-- (dataplane_backend() reads it back). TimescaleDB is used only when the server preloads it.
SET client_min_messages = warning;

-- True when the server loaded timescaledb at start (shared_preload_libraries): the one state in
-- which CREATE EXTENSION timescaledb works. Where the package is installed but not preloaded,
-- CREATE EXTENSION ends the session with FATAL "must be preloaded", which no EXCEPTION block
-- can catch, so the schema asks this first. Roles that may not read shared_preload_libraries
-- see the GUC the preloaded loader defines instead.
CREATE OR REPLACE FUNCTION dataplane_timescaledb_preloaded() RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF pg_has_role(current_user, 'pg_read_all_settings', 'USAGE') THEN
    RETURN EXISTS (
      SELECT 1 FROM unnest(string_to_array(current_setting('shared_preload_libraries'), ',')) lib
      WHERE regexp_replace(btrim(lib, ' "'), '^.*/|\.so$', '', 'g') = 'timescaledb');
  END IF;
  RETURN current_setting('timescaledb.disable_load', true) IS NOT NULL;
END
$$;

-- Which storage this database uses, fixed when the tables are first created: 'timescaledb'
-- (event, job and subjob are hypertables) or 'postgres' (native daily partitions). Every
-- TimescaleDB-only statement of the three files is guarded by this, not by the extension's
-- presence, so a database created without TimescaleDB stays consistent when it appears later.
CREATE OR REPLACE FUNCTION dataplane_backend() RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')
               AND (SELECT relkind FROM pg_class WHERE oid = to_regclass('job')) = 'r'
              THEN 'timescaledb' ELSE 'postgres' END
$$;

-- Why the database is on its backend, for `dataplane migrate`, `db monitor` and healthz: NULL
-- on TimescaleDB or where the extension is not installed; otherwise what stands in the way.
CREATE OR REPLACE FUNCTION dataplane_backend_note() RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN dataplane_backend() = 'timescaledb' THEN NULL
    WHEN NOT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN NULL
    WHEN NOT dataplane_timescaledb_preloaded() THEN
      'TimescaleDB is installed but not preloaded, so this database uses native partitions; to '
      'use it, add timescaledb to shared_preload_libraries (ALTER SYSTEM SET '
      'shared_preload_libraries = ''timescaledb''), restart PostgreSQL and migrate a new database'
    ELSE
      'TimescaleDB is preloaded, but this database was created with native partitions and stays '
      'on them; migrate a new database to use TimescaleDB'
  END
$$;
