---------------------------------------------------------------------------------------------
-- Alerts: de-duplicated (dedup_key), kept as long as the statistics (job_stats_config.keep).
CREATE TABLE IF NOT EXISTS alert (
  alert_id   bigserial PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  kind       text NOT NULL,
  severity   text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  site_id    text,
  app_id     uuid,
  app_name   text,
  job_id     uuid,
  message    text NOT NULL,
  observed   double precision,
  baseline   double precision,
  score      double precision,
  dedup_key  text NOT NULL UNIQUE
);
CREATE INDEX IF NOT EXISTS alert_created_at_idx ON alert (created_at DESC);

-- Writes alerts for the anomalies of the last p_window (detect_anomalies) and for failure rates
-- at or above p_max_failure_rate (at least p_min_jobs finished in the window); returns the
-- alerts it created. A condition raises one alert: a job once, a site/app rate once per hour.
-- Severity: critical for a failure rate at or above p_max_failure_rate or a duration score
-- beyond twice the threshold, else warning.
CREATE OR REPLACE FUNCTION generate_alerts(p_window interval DEFAULT interval '1 hour',
                                           p_threshold double precision DEFAULT 3.5,
                                           p_max_failure_rate double precision DEFAULT 0.5,
                                           p_min_jobs integer DEFAULT 10)
RETURNS SETOF alert LANGUAGE sql AS $$
  WITH hour AS (SELECT to_char(date_trunc('hour', now(), 'UTC'), 'YYYY-MM-DD"T"HH24') AS tag),
  candidates AS (
    SELECT a.anomaly AS kind,
           CASE WHEN a.anomaly = 'failure_rate_spike' AND a.observed >= p_max_failure_rate
                  OR a.anomaly = 'duration_outlier' AND abs(a.score) > 2 * p_threshold
                THEN 'critical' ELSE 'warning' END AS severity,
           a.site_id, a.app_id, a.app_name, a.job_id,
           CASE a.anomaly
             WHEN 'duration_outlier' THEN format('job %s of %s at %s took %s s, baseline median %s s (score %s)',
               a.job_id, a.app_name, a.site_id, round(a.observed::numeric, 1),
               round(a.baseline::numeric, 1), round(a.score::numeric, 1))
             ELSE format('failure rate of %s at %s rose to %s%% from %s%% (score %s)', a.app_name,
               a.site_id, round(100 * a.observed::numeric, 1), round(100 * a.baseline::numeric, 1),
               round(a.score::numeric, 1)) END AS message,
           a.observed, a.baseline, a.score,
           CASE a.anomaly WHEN 'duration_outlier' THEN 'duration_outlier:' || a.job_id
             ELSE format('failure_rate_spike:%s:%s:%s', a.site_id, a.app_id, hour.tag) END AS dedup_key
    FROM detect_anomalies(p_window, p_threshold) a, hour
    UNION ALL
    SELECT 'failure_rate_high', 'critical', j.site_id, j.app_id, max(j.app_name), NULL,
           format('failure rate of %s at %s is %s%% over the last %s (%s of %s finished jobs)',
                  max(j.app_name), j.site_id,
                  round(100 * (count(*) FILTER (WHERE j.status = 'failed'))::numeric / count(*), 1),
                  p_window, count(*) FILTER (WHERE j.status = 'failed'), count(*)),
           (count(*) FILTER (WHERE j.status = 'failed'))::double precision / count(*),
           p_max_failure_rate, NULL,
           format('failure_rate_high:%s:%s:%s', j.site_id, j.app_id, max(hour.tag))
    FROM job j, hour
    WHERE j.last_event_at >= now() - p_window AND j.status <> 'running'
      AND j.finished_at >= now() - p_window
    GROUP BY j.site_id, j.app_id
    HAVING count(*) >= p_min_jobs
       AND (count(*) FILTER (WHERE j.status = 'failed'))::double precision / count(*) >= p_max_failure_rate
  )
  INSERT INTO alert (kind, severity, site_id, app_id, app_name, job_id, message, observed,
                     baseline, score, dedup_key)
  SELECT kind, severity, site_id, app_id, app_name, job_id, message, observed, baseline, score,
         dedup_key
  FROM candidates
  ON CONFLICT (dedup_key) DO NOTHING
  RETURNING *
$$;
