---------------------------------------------------------------------------------------------
-- Health views.

-- Per site and app, over the last hour and the last day (jobs with an event in the window):
-- how many are running, succeeded, failed, canceled; success rate of the finished ones; exact
-- p95 duration; time of the latest event.
CREATE OR REPLACE VIEW job_health_summary AS
SELECT w.time_window, j.site_id, j.app_id, max(j.app_name) AS app_name,
       count(*) FILTER (WHERE j.status = 'running') AS running,
       count(*) FILTER (WHERE j.status = 'succeeded') AS succeeded,
       count(*) FILTER (WHERE j.status = 'failed') AS failed,
       count(*) FILTER (WHERE j.status = 'canceled') AS canceled,
       (count(*) FILTER (WHERE j.status = 'succeeded'))::double precision
         / nullif(count(*) FILTER (WHERE j.status <> 'running'), 0) AS success_rate,
       percentile_cont(0.95) WITHIN GROUP (
         ORDER BY job_duration_s(j.duration_s, j.started_at, j.finished_at)) AS duration_p95_s,
       max(j.last_event_at) AS last_event_at
FROM (VALUES ('1 hour', interval '1 hour'), ('1 day', interval '1 day')) w(time_window, span)
JOIN job j ON j.last_event_at >= now() - w.span
GROUP BY w.time_window, j.site_id, j.app_id;

-- Slow statements: from pg_stat_statements when that extension is installed and loaded
-- (statements whose mean time is at least p_min_ms, by total time), else the statements running
-- for at least p_min_ms now (pg_stat_activity). `source` says which.
CREATE OR REPLACE FUNCTION slow_queries_report(p_min_ms double precision DEFAULT 100,
                                               p_limit integer DEFAULT 20)
RETURNS TABLE (source text, query text, calls bigint, mean_ms double precision,
               total_ms double precision, max_ms double precision, pid integer,
               running_for_ms double precision)
LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements') THEN
    BEGIN
      RETURN QUERY EXECUTE
        'SELECT ''pg_stat_statements''::text, s.query, s.calls, s.mean_exec_time, s.total_exec_time,
                s.max_exec_time, NULL::integer, NULL::double precision
         FROM pg_stat_statements s WHERE s.mean_exec_time >= $1
         ORDER BY s.total_exec_time DESC LIMIT $2' USING p_min_ms, p_limit;
      RETURN;
    EXCEPTION WHEN OTHERS THEN
      NULL;  -- installed but not in shared_preload_libraries: fall back to pg_stat_activity
    END;
  END IF;
  RETURN QUERY
    SELECT 'pg_stat_activity'::text, a.query, NULL::bigint, NULL::double precision,
           NULL::double precision, NULL::double precision, a.pid,
           (extract(epoch FROM clock_timestamp() - a.query_start) * 1000)::double precision
    FROM pg_stat_activity a
    WHERE a.state = 'active' AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend'
      AND clock_timestamp() - a.query_start >= p_min_ms * interval '1 millisecond'
    ORDER BY a.query_start LIMIT p_limit;
END
$$;

CREATE OR REPLACE VIEW slow_queries AS SELECT * FROM slow_queries_report();
