---------------------------------------------------------------------------------------------
-- Analytics.

-- Job metrics of one site (NULL: all sites) for the jobs anchored in [p_from, p_to): counts by
-- status, success rate of the finished ones, exact duration percentiles, cpu and memory.
CREATE OR REPLACE FUNCTION calculate_job_metrics(p_site text, p_from timestamptz, p_to timestamptz)
RETURNS TABLE (site_id text, total_jobs bigint, running bigint, succeeded bigint, failed bigint,
               canceled bigint, success_rate double precision, duration_avg_s double precision,
               duration_p50_s double precision, duration_p95_s double precision,
               duration_p99_s double precision, duration_max_s double precision,
               cpu_avg_s double precision, mem_avg_mb double precision, mem_max_mb double precision)
LANGUAGE sql STABLE AS $$
  SELECT coalesce(p_site, 'all'), count(*),
         count(*) FILTER (WHERE j.status = 'running'),
         count(*) FILTER (WHERE j.status = 'succeeded'),
         count(*) FILTER (WHERE j.status = 'failed'),
         count(*) FILTER (WHERE j.status = 'canceled'),
         (count(*) FILTER (WHERE j.status = 'succeeded'))::double precision
           / nullif(count(*) FILTER (WHERE j.status <> 'running'), 0),
         avg(d.s), percentile_cont(0.5) WITHIN GROUP (ORDER BY d.s),
         percentile_cont(0.95) WITHIN GROUP (ORDER BY d.s),
         percentile_cont(0.99) WITHIN GROUP (ORDER BY d.s), max(d.s),
         avg(job_cpu_s(j.cpu_user_s, j.cpu_system_s)), avg(j.mem_max_mb), max(j.mem_max_mb)
  FROM job j
  CROSS JOIN LATERAL (SELECT job_duration_s(j.duration_s, j.started_at, j.finished_at) AS s) d
  WHERE j.anchor_at >= p_from AND j.anchor_at < p_to AND (p_site IS NULL OR j.site_id = p_site)
$$;

-- Anomalies of the last p_window:
--   duration_outlier: a job that finished in the window and whose duration is an outlier
--     against its site's and app's baseline (jobs finished in the p_baseline before the window,
--     at least 20 of them): robust z-score 0.6745 * (d - median) / MAD beyond ±p_threshold;
--   failure_rate_spike: per site and app, the share of failed jobs among those finished in the
--     window against the window before it (two-proportion z-test, at least 5 jobs in each),
--     score beyond p_threshold.
-- observed / baseline: the duration and the baseline median (s), or the two failure rates.
CREATE OR REPLACE FUNCTION detect_anomalies(p_window interval DEFAULT interval '1 hour',
                                            p_threshold double precision DEFAULT 3.5,
                                            p_baseline interval DEFAULT interval '1 day')
RETURNS TABLE (anomaly text, site_id text, app_id uuid, app_name text, job_id uuid,
               observed double precision, baseline double precision, score double precision,
               window_start timestamptz, window_end timestamptz)
LANGUAGE sql STABLE AS $$
  WITH bounds AS (
    SELECT now() - p_window AS w_start, now() AS w_end
  ), finished AS (
    SELECT j.site_id, j.app_id, j.app_name, j.job_id, j.status, j.finished_at,
           job_duration_s(j.duration_s, j.started_at, j.finished_at) AS d
    FROM job j, bounds b
    WHERE j.last_event_at >= b.w_start - greatest(p_baseline, p_window) AND j.status <> 'running'
      AND j.finished_at >= b.w_start - greatest(p_baseline, p_window) AND j.finished_at < b.w_end
  ), base AS (
    SELECT f.site_id, f.app_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY f.d) AS median,
           count(*) AS n
    FROM finished f, bounds b
    WHERE f.finished_at >= b.w_start - p_baseline AND f.finished_at < b.w_start AND f.d IS NOT NULL
    GROUP BY f.site_id, f.app_id
  ), spread AS (
    SELECT f.site_id, f.app_id,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(f.d - s.median)) AS mad
    FROM finished f JOIN base s USING (site_id, app_id), bounds b
    WHERE f.finished_at >= b.w_start - p_baseline AND f.finished_at < b.w_start AND f.d IS NOT NULL
    GROUP BY f.site_id, f.app_id
  ), outliers AS (
    SELECT 'duration_outlier'::text AS anomaly, f.site_id, f.app_id, f.app_name, f.job_id,
           f.d AS observed, s.median AS baseline, 0.6745 * (f.d - s.median) / sp.mad AS score,
           b.w_start, b.w_end
    FROM finished f JOIN base s USING (site_id, app_id) JOIN spread sp USING (site_id, app_id), bounds b
    WHERE f.finished_at >= b.w_start AND f.d IS NOT NULL AND s.n >= 20 AND sp.mad > 0
      AND abs(0.6745 * (f.d - s.median) / sp.mad) > p_threshold
  ), rates AS (
    SELECT f.site_id, f.app_id, max(f.app_name) AS app_name,
           count(*) FILTER (WHERE f.finished_at >= b.w_start) AS n1,
           count(*) FILTER (WHERE f.finished_at >= b.w_start AND f.status = 'failed') AS f1,
           count(*) FILTER (WHERE f.finished_at < b.w_start AND f.finished_at >= b.w_start - p_window) AS n0,
           count(*) FILTER (WHERE f.finished_at < b.w_start AND f.finished_at >= b.w_start - p_window
                            AND f.status = 'failed') AS f0
    FROM finished f, bounds b
    GROUP BY f.site_id, f.app_id
  ), spikes AS (
    SELECT 'failure_rate_spike'::text AS anomaly, r.site_id, r.app_id, r.app_name,
           NULL::uuid AS job_id, r.f1::double precision / r.n1 AS observed,
           r.f0::double precision / r.n0 AS baseline,
           (r.f1::double precision / r.n1 - r.f0::double precision / r.n0)
             / nullif(sqrt(p.pooled * (1 - p.pooled) * (1.0 / r.n1 + 1.0 / r.n0)), 0) AS score,
           b.w_start, b.w_end
    FROM rates r, bounds b,
         LATERAL (SELECT (r.f0 + r.f1)::double precision / (r.n0 + r.n1) AS pooled) p
    WHERE r.n1 >= 5 AND r.n0 >= 5
  )
  SELECT * FROM outliers
  UNION ALL
  SELECT * FROM spikes s WHERE s.score > p_threshold
$$;
