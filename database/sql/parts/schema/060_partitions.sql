-- Creates the missing daily partitions of event, job and subjob for [p_from, p_to]; returns
-- how many it created. A no-op on TimescaleDB (chunks are created on demand). Concurrent
-- callers are safe: a partition created meanwhile by another session is skipped.
CREATE OR REPLACE FUNCTION ensure_partitions(p_from date, p_to date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  parent text;
  day date;
  part text;
  created integer := 0;
BEGIN
  FOREACH parent IN ARRAY ARRAY['event', 'job', 'subjob'] LOOP
    CONTINUE WHEN (SELECT relkind FROM pg_class WHERE oid = parent::regclass) <> 'p';
    day := p_from;
    WHILE day <= p_to LOOP
      part := parent || '_p' || to_char(day, 'YYYYMMDD');
      IF to_regclass(part) IS NULL THEN
        BEGIN
          EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                         part, parent, day::timestamp AT TIME ZONE 'UTC',
                         (day + 1)::timestamp AT TIME ZONE 'UTC');
          created := created + 1;
        EXCEPTION WHEN duplicate_table THEN
          NULL;
        END;
      END IF;
      day := day + 1;
    END LOOP;
  END LOOP;
  RETURN created;
END
$$;

-- Today and tomorrow only: every partition costs each list query (one more index scan to open),
-- so past days get theirs when an event for them arrives (the writer) and the Local API makes
-- tomorrow's every hour.
SELECT ensure_partitions((now() AT TIME ZONE 'UTC')::date, (now() AT TIME ZONE 'UTC')::date + 1);
