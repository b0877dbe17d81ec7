---------------------------------------------------------------------------------------------
-- The four aggregates. Their columns (both paths):
--   bucket, site_id, app_id, status, app_name, job_count, succeeded_count, failed_count,
--   canceled_count, success_rate (succeeded / finished; NULL when none finished),
--   duration_count, duration_sum, duration_avg, duration_min, duration_max, duration_p50,
--   duration_p95, duration_hist, cpu_count, cpu_sum, cpu_avg (user + system seconds),
--   mem_count, mem_sum, mem_avg, mem_max (MB)
-- The sums and counts are what lets a coarser level, or the API's group_by, merge rows exactly.
--
-- job_stats_query() is the one definition of every column: the SELECT of a level from its
-- source — the job table for the hourly level, the level below for the others. p_bucket is the
-- bucket expression (time_bucket on TimescaleDB, date_trunc on plain PostgreSQL: the same
-- UTC-aligned buckets, weeks starting on Monday), p_where restricts the source rows.
CREATE OR REPLACE FUNCTION job_stats_query(p_source text, p_bucket text, p_where text)
RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
  SELECT CASE WHEN p_source = 'job' THEN format($q$
    SELECT %1$s AS bucket, site_id, app_id, status,
      max(app_name) AS app_name,
      count(*) AS job_count,
      sum(CASE WHEN status = 'succeeded' THEN 1 ELSE 0 END) AS succeeded_count,
      sum(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS failed_count,
      sum(CASE WHEN status = 'canceled' THEN 1 ELSE 0 END) AS canceled_count,
      sum(CASE WHEN status = 'succeeded' THEN 1 ELSE 0 END)::double precision
        / nullif(sum(CASE WHEN status <> 'running' THEN 1 ELSE 0 END), 0) AS success_rate,
      count(job_duration_s(duration_s, started_at, finished_at)) AS duration_count,
      sum(job_duration_s(duration_s, started_at, finished_at)) AS duration_sum,
      sum(job_duration_s(duration_s, started_at, finished_at))
        / nullif(count(job_duration_s(duration_s, started_at, finished_at)), 0) AS duration_avg,
      min(job_duration_s(duration_s, started_at, finished_at)) AS duration_min,
      max(job_duration_s(duration_s, started_at, finished_at)) AS duration_max,
      duration_histogram_percentile(
        duration_histogram(job_duration_s(duration_s, started_at, finished_at)), 0.5) AS duration_p50,
      duration_histogram_percentile(
        duration_histogram(job_duration_s(duration_s, started_at, finished_at)), 0.95) AS duration_p95,
      duration_histogram(job_duration_s(duration_s, started_at, finished_at)) AS duration_hist,
      count(job_cpu_s(cpu_user_s, cpu_system_s)) AS cpu_count,
      sum(job_cpu_s(cpu_user_s, cpu_system_s)) AS cpu_sum,
      sum(job_cpu_s(cpu_user_s, cpu_system_s))
        / nullif(count(job_cpu_s(cpu_user_s, cpu_system_s)), 0) AS cpu_avg,
      count(mem_max_mb) AS mem_count,
      sum(mem_max_mb) AS mem_sum,
      sum(mem_max_mb) / nullif(count(mem_max_mb), 0) AS mem_avg,
      max(mem_max_mb) AS mem_max
    FROM job %2$s
    GROUP BY 1, site_id, app_id, status $q$, p_bucket, p_where)
  ELSE format($q$
    SELECT %1$s AS bucket, site_id, app_id, status,
      max(app_name) AS app_name,
      sum(job_count)::bigint AS job_count,
      sum(succeeded_count)::bigint AS succeeded_count,
      sum(failed_count)::bigint AS failed_count,
      sum(canceled_count)::bigint AS canceled_count,
      sum(succeeded_count)::double precision
        / nullif(sum(succeeded_count + failed_count + canceled_count), 0) AS success_rate,
      sum(duration_count)::bigint AS duration_count,
      sum(duration_sum) AS duration_sum,
      sum(duration_sum) / nullif(sum(duration_count), 0) AS duration_avg,
      min(duration_min) AS duration_min,
      max(duration_max) AS duration_max,
      duration_histogram_percentile(duration_histogram_merge(duration_hist), 0.5) AS duration_p50,
      duration_histogram_percentile(duration_histogram_merge(duration_hist), 0.95) AS duration_p95,
      duration_histogram_merge(duration_hist) AS duration_hist,
      sum(cpu_count)::bigint AS cpu_count,
      sum(cpu_sum) AS cpu_sum,
      sum(cpu_sum) / nullif(sum(cpu_count), 0) AS cpu_avg,
      sum(mem_count)::bigint AS mem_count,
      sum(mem_sum) AS mem_sum,
      sum(mem_sum) / nullif(sum(mem_count), 0) AS mem_avg,
      max(mem_max) AS mem_max
    FROM %2$I %3$s
    GROUP BY 1, site_id, app_id, status $q$, p_bucket, p_source, p_where)
  END
$fn$;

-- The hierarchy: name, bucket width, source, and the TimescaleDB policy's schedule and refresh
-- start (NULL: job_stats_config.refresh_window). Weekly and monthly both build on daily: a week
-- does not divide a month.
CREATE OR REPLACE FUNCTION job_stats_levels()
RETURNS TABLE (name text, width interval, source text, schedule interval, refresh_start interval)
LANGUAGE sql IMMUTABLE AS $$
  VALUES ('job_hourly_stats',  interval '1 hour',  'job',              interval '1 minute',  NULL::interval),
         ('job_daily_stats',   interval '1 day',   'job_hourly_stats', interval '5 minutes', interval '7 days'),
         ('job_weekly_stats',  interval '1 week',  'job_daily_stats',  interval '1 hour',    interval '5 weeks'),
         ('job_monthly_stats', interval '1 month', 'job_daily_stats',  interval '1 hour',    interval '2 months')
$$;

-- date_trunc's unit for a bucket width (plain path).
CREATE OR REPLACE FUNCTION job_stats_unit(p_width interval)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE p_width WHEN interval '1 hour' THEN 'hour' WHEN interval '1 day' THEN 'day'
                      WHEN interval '1 week' THEN 'week' ELSE 'month' END
$$;
