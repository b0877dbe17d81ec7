-- Bulk load of event history for the growth scenarios of bench/run, straight into `event` and
-- the key registry `event_key` (no API), in one transaction: rows number :lo .. :hi of
-- bench_event_rows (event_rows.sql, which must exist), the history of the jobs load_jobs.sql
-- loads (ids f1…/f2…, six events per job, job j's events at :t0 + j / :njobs × :span).
--   psql -v prefix=gA -v lo=6 -v hi=6000005 -v t0=<epoch s> -v span=172800 -v njobs=2000000 \
--        -f bench/load_events.sql
-- bench/run runs two of these side by side (one per core) and then VACUUM (ANALYZE)s.
SET synchronous_commit = off;
-- The partitions of the loaded days (schema.sql makes only today's and tomorrow's).
SELECT ensure_partitions((to_timestamp(:t0) AT TIME ZONE 'UTC')::date,
                         (to_timestamp(:t0 + :span) AT TIME ZONE 'UTC')::date) AS partitions_created \gset
BEGIN;
-- The function is inlined, so the keys' statement computes only the columns it reads.
INSERT INTO event_key (idempotency_key, event_at, received_at)
SELECT idempotency_key, at, received_at
FROM bench_event_rows(:'prefix', 'f', :lo, :hi, :t0, :span, :njobs);
INSERT INTO event SELECT * FROM bench_event_rows(:'prefix', 'f', :lo, :hi, :t0, :span, :njobs);
COMMIT;
