-- Bulk load of job / subjob current state for the query scenarios of bench/run, straight into
-- the tables (no event history, no API): jobs number :lo .. :hi of :n, each with 4 subjobs
-- (wafers) at the job's anchor, and the jobs' entity_anchor rows, in one transaction.
--   psql -v lo=1 -v hi=500000 -v n=1000000 -v t0=<epoch seconds> -f bench/load_jobs.sql
-- bench/run runs two of these side by side (one per core) and then VACUUM (ANALYZE)s.
--
-- Shape: job i's last event is at t0 + i/n × 2 days (t0 = now − 2 days), so `last_event_at`
-- spans the last two days in the order the jobs finished; the job ran 1–31 minutes before
-- (anchor_at = started_at, kept inside the daily partitions from day(t0) on, which the first
-- statement creates: schema.sql makes only today's and tomorrow's). Status: 85 % succeeded, 10 % failed (one wafer failed), 5 % canceled. Ids are
-- time-ordered UUIDs (like UUIDv7: f1…-<i> for jobs, f2…-<4i+k> for subjobs), which also
-- keeps every index insert near the right edge: that is what makes the load take ~1 min.
SET synchronous_commit = off;
\set span 172800
SELECT ensure_partitions((to_timestamp(:t0) AT TIME ZONE 'UTC')::date,
                         (now() AT TIME ZONE 'UTC')::date + 1) AS partitions_created \gset
BEGIN;
CREATE TEMP TABLE j ON COMMIT DROP AS
SELECT i,
       ('f1000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid AS job_id,
       le,
       greatest(le - make_interval(secs => d),
                date_trunc('day', to_timestamp(:t0) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS anchor_at,
       d,
       CASE WHEN i % 20 IN (3, 11) THEN 'failed' WHEN i % 20 = 17 THEN 'canceled'
            ELSE 'succeeded' END AS status
FROM (SELECT i, to_timestamp(:t0 + i * (:span::float8 / :n)) AS le, 60 + (i * 37) % 1800 AS d
      FROM generate_series(:lo, :hi) i) s;

INSERT INTO job (job_id, anchor_at, site_id, app_id, app_name, app_version, job_key, status,
                 last_event_kind, last_event_at, started_at, finished_at, duration_s, cpu_user_s,
                 cpu_system_s, mem_max_mb, metadata, event_count)
SELECT job_id, anchor_at, 'fab1', '6f1c1a52-8d43-4b7e-9a55-0d1c2b3a4f5e', 'litho-scan', '1.4.2',
       'lot-' || lpad(i::text, 7, '0'), status,
       CASE status WHEN 'failed' THEN 'error' WHEN 'canceled' THEN 'canceled' ELSE 'finished' END,
       le, anchor_at, le, extract(epoch FROM le - anchor_at), d * 0.4, d * 0.05, 512 + i % 2048,
       jsonb_build_object('tool', 'ASML-' || lpad((i % 16)::text, 2, '0'), 'recipe', 'R' || (i % 40)),
       6
FROM j;

INSERT INTO subjob (subjob_id, anchor_at, job_id, site_id, app_id, app_name, app_version, job_key,
                    sub_key, status, last_event_kind, last_event_at, started_at, finished_at,
                    duration_s, cpu_user_s, cpu_system_s, mem_max_mb, metadata, event_count)
SELECT ('f2000000-0000-4000-8000-' || lpad(to_hex(i * 4 + k), 12, '0'))::uuid, anchor_at, job_id,
       'fab1', '6f1c1a52-8d43-4b7e-9a55-0d1c2b3a4f5e', 'litho-scan', '1.4.2',
       'lot-' || lpad(i::text, 7, '0'), 'wafer-' || k,
       CASE WHEN status = 'failed' AND k = 3 THEN 'failed' WHEN status = 'canceled' THEN 'canceled'
            ELSE 'succeeded' END,
       CASE WHEN status = 'failed' AND k = 3 THEN 'error' WHEN status = 'canceled' THEN 'canceled'
            ELSE 'finished' END,
       le - make_interval(secs => 4 - k), anchor_at, le - make_interval(secs => 4 - k),
       greatest(extract(epoch FROM le - anchor_at) - (4 - k), 0), d * 0.1, d * 0.01, 128 + i % 512,
       jsonb_build_object('slot', k), 2
FROM j, generate_series(0, 3) k;

-- Subjobs live at their job's anchor (schema version 4): only jobs have anchor rows.
INSERT INTO entity_anchor (entity_id, entity_type, anchor_at)
SELECT job_id, 'job', anchor_at FROM j;
COMMIT;
