-- Writes event rows number :lo .. :hi as CSV (to stdout) in the column order of the `event`
-- table (database/sql/schema.sql), for the \copy ceiling of bench/run:
--   psql -v prefix=cA -v lo=1 -v hi=200000 -f bench/events_csv.sql > a.csv
-- The rows are what the Local API stores for the wrk event stream (bench/common.lua): six events
-- per job (its start, its four subjobs' ends with metrics, its end: 85 % succeeded, 10 % failed,
-- 5 % canceled), metadata, and the whole request as payload; `at` = now, keys <prefix>-<g> and
-- ids (e1…/e2…) unique.
\set app '6f1c1a52-8d43-4b7e-9a55-0d1c2b3a4f5e'
COPY (
  SELECT key, now(), now(), 'fab1', :'app'::uuid, etype, eid, pid, lot, skey, kind, status,
         dur, cu, cs, mem, meta,
         jsonb_build_object(
           'idempotency_key', key, 'site_id', 'fab1',
           'app', jsonb_build_object('app_id', :'app', 'name', 'litho-scan', 'version', '1.4.2'),
           'entity', jsonb_strip_nulls(jsonb_build_object('type', etype, 'id', eid, 'parent_id', pid,
                                                          'business_key', lot, 'sub_key', skey)),
           'event', jsonb_strip_nulls(jsonb_build_object(
                      'kind', kind,
                      'at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                      'status', CASE WHEN kind IN ('finished', 'canceled') THEN status END,
                      'metrics', jsonb_strip_nulls(jsonb_build_object('duration_s', dur,
                                   'cpu_user_s', cu, 'cpu_system_s', cs, 'mem_max_mb', mem)),
                      'metadata', meta)))
  FROM (
    SELECT g, key, lot, etype, eid, pid, skey, meta, dur, cu, cs, mem,
           CASE WHEN k = 0 THEN 'started' WHEN k = 5 AND fate = 17 THEN 'canceled' ELSE 'finished' END AS kind,
           CASE WHEN k = 0 THEN 'running'
                WHEN k = 5 AND fate IN (3, 11) THEN 'failed'
                WHEN k = 5 AND fate = 17 THEN 'canceled'
                WHEN k = 3 AND fate IN (3, 11) THEN 'failed'
                ELSE 'succeeded' END AS status
    FROM (
      SELECT g, k, j % 20 AS fate, :'prefix' || '-' || g AS key, 'lot-' || j AS lot,
             CASE WHEN k IN (0, 5) THEN 'job' ELSE 'subjob' END AS etype,
             CASE WHEN k IN (0, 5) THEN ('e1000000-0000-4000-8000-' || lpad(to_hex(j), 12, '0'))::uuid
                  ELSE ('e2000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid END AS eid,
             CASE WHEN k BETWEEN 1 AND 4 THEN ('e1000000-0000-4000-8000-' || lpad(to_hex(j), 12, '0'))::uuid END AS pid,
             CASE WHEN k BETWEEN 1 AND 4 THEN 'wafer-' || k END AS skey,
             CASE WHEN k = 5 THEN 300 + j % 1500 + 0.5 WHEN k > 0 THEN 60 + g % 900 + 0.5 END AS dur,
             CASE WHEN k BETWEEN 1 AND 4 THEN 20 + g % 300 + 0.25 END AS cu,
             CASE WHEN k BETWEEN 1 AND 4 THEN 2 + g % 30 + 0.125 END AS cs,
             CASE WHEN k BETWEEN 1 AND 4 THEN 512 + g % 2048 + 0.5 END AS mem,
             jsonb_build_object('tool', 'ASML-' || lpad((j % 16)::text, 2, '0'), 'recipe', 'R' || (j % 40)) AS meta
      FROM (SELECT g, g / 6 AS j, g % 6 AS k FROM generate_series(:lo, :hi) g) n
    ) e
  ) s
) TO STDOUT WITH (FORMAT csv);
