-- Writes event rows number :lo .. :hi as CSV (to stdout) in the column order of the `event`
-- table, for the \copy ceiling of bench/run (bench_event_rows of event_rows.sql, which must exist):
--   psql -v prefix=cA -v lo=1 -v hi=200000 -f bench/events_csv.sql > a.csv
-- The rows are what the Local API stores for the wrk event stream: `at` = now, keys
-- <prefix>-<g>, ids e1…/e2…, apart from the loaded jobs' f1…/f2… and the stream's own.
COPY (SELECT * FROM bench_event_rows(:'prefix', 'e', :lo, :hi, NULL, NULL, NULL))
TO STDOUT WITH (FORMAT csv);
