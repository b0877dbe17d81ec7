---------------------------------------------------------------------------------------------
-- Per-job values the statistics use (immutable: allowed in continuous aggregates).
CREATE OR REPLACE FUNCTION job_duration_s(duration_s double precision, started_at timestamptz,
                                          finished_at timestamptz)
RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(duration_s, extract(epoch FROM finished_at - started_at)::double precision)
$$;

CREATE OR REPLACE FUNCTION job_cpu_s(cpu_user_s double precision, cpu_system_s double precision)
RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN cpu_user_s IS NULL AND cpu_system_s IS NULL THEN NULL
              ELSE coalesce(cpu_user_s, 0) + coalesce(cpu_system_s, 0) END
$$;

-- Duration histogram: bin 0 holds [0, 1 ms); bin k >= 1 holds [1 ms * 1.05^(k-1), 1 ms * 1.05^k).
-- Stored as an integer[] whose subscripts are the bin numbers, from the lowest to the highest
-- bin used (e.g. '[140:142]={3,0,1}'), so a typical app needs a few dozen elements. The bin of
-- v is 0 below 1 ms, else least(1 + floor(ln(v / 1 ms) / ln 1.05), 1000); bin k's lower bound
-- is 1 ms * 1.05^(k-1).
--
-- The PL/pgSQL functions below call no other function of ours (that arithmetic is written out
-- where it is needed): inside a TimescaleDB continuous-aggregate refresh, a PL/pgSQL function
-- that calls a user-defined function makes the refresh fail with "invalid transaction
-- termination" (seen with TimescaleDB 2.28 on PostgreSQL 15). Schema 2 had the two helpers
-- duration_histogram_bin[_lower](); nothing calls them any more.
DROP FUNCTION IF EXISTS duration_histogram_bin(double precision);
DROP FUNCTION IF EXISTS duration_histogram_bin_lower(integer);
CREATE OR REPLACE FUNCTION duration_histogram_add(h integer[], v double precision)
RETURNS integer[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  bin integer := CASE WHEN v IS NULL THEN NULL
                      WHEN v < 0.001 THEN 0
                      ELSE least(1 + floor(ln(v / 0.001) / ln(1.05))::integer, 1000) END;
BEGIN
  IF bin IS NULL THEN RETURN h; END IF;
  IF h IS NULL THEN RETURN array_fill(1, ARRAY[1], ARRAY[bin]); END IF;
  h[bin] := coalesce(h[bin], 0) + 1;  -- a bin outside the bounds extends the array
  RETURN h;
END
$$;

CREATE OR REPLACE FUNCTION duration_histogram_merge_add(a integer[], b integer[])
RETURNS integer[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  IF b IS NULL THEN RETURN a; END IF;
  IF a IS NULL THEN RETURN b; END IF;
  FOR i IN array_lower(b, 1) .. array_upper(b, 1) LOOP
    IF coalesce(b[i], 0) <> 0 THEN
      a[i] := coalesce(a[i], 0) + b[i];
    END IF;
  END LOOP;
  RETURN a;
END
$$;

-- Gaps left by extending the array read as NULL; the stored form has zeros.
CREATE OR REPLACE FUNCTION duration_histogram_final(h integer[])
RETURNS integer[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_replace(h, NULL, 0)
$$;

CREATE OR REPLACE AGGREGATE duration_histogram(double precision) (
  SFUNC = duration_histogram_add, STYPE = integer[], FINALFUNC = duration_histogram_final,
  COMBINEFUNC = duration_histogram_merge_add, PARALLEL = SAFE);

CREATE OR REPLACE AGGREGATE duration_histogram_merge(integer[]) (
  SFUNC = duration_histogram_merge_add, STYPE = integer[], FINALFUNC = duration_histogram_final,
  COMBINEFUNC = duration_histogram_merge_add, PARALLEL = SAFE);

-- The p-quantile (0..1) of a histogram, ranked like percentile_cont and interpolated
-- geometrically inside its bin; NULL for an empty histogram.
CREATE OR REPLACE FUNCTION duration_histogram_percentile(h integer[], p double precision)
RETURNS double precision LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  total bigint := 0;
  seen bigint := 0;
  target double precision;
  n integer;
  pos double precision;
  lo double precision;
  hi double precision;
BEGIN
  IF h IS NULL OR p IS NULL OR cardinality(h) = 0 THEN RETURN NULL; END IF;
  FOR i IN array_lower(h, 1) .. array_upper(h, 1) LOOP
    total := total + coalesce(h[i], 0);
  END LOOP;
  IF total = 0 THEN RETURN NULL; END IF;
  target := least(greatest(p, 0), 1) * (total - 1);
  FOR i IN array_lower(h, 1) .. array_upper(h, 1) LOOP
    n := coalesce(h[i], 0);
    IF n > 0 AND target < seen + n THEN
      pos := (target - seen + 0.5) / n;
      -- the lower bounds of bins i and i + 1
      lo := CASE WHEN i <= 0 THEN 0 ELSE 0.001 * power(1.05::double precision, i - 1) END;
      hi := 0.001 * power(1.05::double precision, i);
      IF i = 0 THEN RETURN lo + (hi - lo) * pos; END IF;
      RETURN lo * power(hi / lo, pos);
    END IF;
    seen := seen + n;
  END LOOP;
  RETURN 0.001 * power(1.05::double precision, array_upper(h, 1));  -- upper bound of the last
END
$$;
