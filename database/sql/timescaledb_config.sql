-- dataplane: database settings for an ingest-heavy, short-query workload. Applied last. Each
-- setting is attempted separately; where the role may not change it (managed databases), a
-- NOTICE says so and the file still succeeds.
SET client_min_messages = notice;

DO $$
BEGIN
  -- JIT compilation costs more than it saves on the short indexed queries the APIs run.
  EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'dataplane: not allowed to set jit = off on this database; leaving it as is';
END
$$;
