-- bench_event_rows(key_prefix, id_digit, lo, hi, t0, span, njobs): event rows number lo .. hi,
-- as the Local API stores them for the wrk event stream (bench/common.lua), in the column order
-- of the `event` table (database/sql/schema.sql). bench/run creates it once in its private
-- database; events_csv.sql (the \copy ceiling) and load_events.sql (the growth data) read it.
--
-- Row g is event g % 6 of job j = g / 6: its start (0), its four subjobs' ends with metrics
-- (1..4), its end (5: 85 % succeeded, 10 % failed, 5 % canceled); metadata; the whole request as
-- payload. Keys are <key_prefix>-<g>. Ids are time-ordered UUIDs <id_digit>1…-<j> for jobs and
-- <id_digit>2…-<4j + k - 1> for subjob k, the shape of load_jobs.sql's (whose ids start with f):
-- id_digit f gives the loaded jobs their history. `at`: now() when t0 is NULL, else
-- t0 + j / njobs × span (epoch seconds) plus k microseconds, so a job's events are in order and
-- the jobs are spread over the span in the order of their numbers.
CREATE OR REPLACE FUNCTION bench_event_rows(key_prefix text, id_digit text, lo bigint, hi bigint,
                                            t0 double precision, span double precision,
                                            njobs bigint)
RETURNS SETOF event LANGUAGE sql STABLE AS $fn$
  SELECT key, at, now(), 'fab1', '6f1c1a52-8d43-4b7e-9a55-0d1c2b3a4f5e'::uuid, etype, eid, pid,
         lot, skey, kind, status, dur, cu, cs, mem, meta,
         jsonb_build_object(
           'idempotency_key', key, 'site_id', 'fab1',
           'app', jsonb_build_object('app_id', '6f1c1a52-8d43-4b7e-9a55-0d1c2b3a4f5e',
                                     'name', 'litho-scan', 'version', '1.4.2'),
           'entity', jsonb_strip_nulls(jsonb_build_object('type', etype, 'id', eid, 'parent_id', pid,
                                                          'business_key', lot, 'sub_key', skey)),
           'event', jsonb_strip_nulls(jsonb_build_object(
                      'kind', kind,
                      'at', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                      'status', CASE WHEN kind IN ('finished', 'canceled') THEN status END,
                      'metrics', jsonb_strip_nulls(jsonb_build_object('duration_s', dur,
                                   'cpu_user_s', cu, 'cpu_system_s', cs, 'mem_max_mb', mem)),
                      'metadata', meta)))
  FROM (
    SELECT key, at, lot, etype, eid, pid, skey, meta, dur, cu, cs, mem,
           CASE WHEN k = 0 THEN 'started' WHEN k = 5 AND fate = 17 THEN 'canceled' ELSE 'finished' END AS kind,
           CASE WHEN k = 0 THEN 'running'
                WHEN k = 5 AND fate IN (3, 11) THEN 'failed'
                WHEN k = 5 AND fate = 17 THEN 'canceled'
                WHEN k = 3 AND fate IN (3, 11) THEN 'failed'
                ELSE 'succeeded' END AS status
    FROM (
      SELECT g, k, j % 20 AS fate, key_prefix || '-' || g AS key, 'lot-' || j AS lot,
             CASE WHEN t0 IS NULL THEN now()
                  ELSE to_timestamp(t0 + j * span / njobs) + make_interval(secs => k * 1e-6) END AS at,
             CASE WHEN k IN (0, 5) THEN 'job' ELSE 'subjob' END AS etype,
             CASE WHEN k IN (0, 5) THEN (id_digit || '1000000-0000-4000-8000-' || lpad(to_hex(j), 12, '0'))::uuid
                  ELSE (id_digit || '2000000-0000-4000-8000-' || lpad(to_hex(j * 4 + k - 1), 12, '0'))::uuid END AS eid,
             CASE WHEN k BETWEEN 1 AND 4 THEN (id_digit || '1000000-0000-4000-8000-' || lpad(to_hex(j), 12, '0'))::uuid END AS pid,
             CASE WHEN k BETWEEN 1 AND 4 THEN 'wafer-' || (k - 1) END AS skey,
             CASE WHEN k = 5 THEN 300 + j % 1500 + 0.5 WHEN k > 0 THEN 60 + g % 900 + 0.5 END AS dur,
             CASE WHEN k BETWEEN 1 AND 4 THEN 20 + g % 300 + 0.25 END AS cu,
             CASE WHEN k BETWEEN 1 AND 4 THEN 2 + g % 30 + 0.125 END AS cs,
             CASE WHEN k BETWEEN 1 AND 4 THEN 512 + g % 2048 + 0.5 END AS mem,
             jsonb_build_object('tool', 'ASML-' || lpad((j % 16)::text, 2, '0'), 'recipe', 'R' || (j % 40)) AS meta
      FROM (SELECT g, g / 6 AS j, (g % 6)::int AS k FROM generate_series(lo, hi) g) n
    ) e
  ) s
$fn$;
