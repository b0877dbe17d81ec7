---------------------------------------------------------------------------------------------
-- Compression of raw data (event, job, subjob) after 3 days, TimescaleDB only: segmented by
-- site, app and status, ordered by time; the primary keys' columns are in segmentby/orderby as
-- TimescaleDB requires. Configured once: TimescaleDB refuses to change the settings while chunks
-- are compressed.
DO $$
DECLARE
  raw record;
BEGIN
  IF dataplane_backend() = 'timescaledb' THEN
    FOR raw IN SELECT * FROM (VALUES ('event', 'at DESC'), ('job', 'anchor_at DESC, job_id'),
                                     ('subjob', 'anchor_at DESC, subjob_id')) t(name, orderby)
    LOOP
      IF NOT EXISTS (SELECT 1 FROM timescaledb_information.hypertables
                     WHERE hypertable_name = raw.name AND compression_enabled) THEN
        EXECUTE format('ALTER TABLE %I SET (timescaledb.compress, '
                       'timescaledb.compress_segmentby = %L, timescaledb.compress_orderby = %L)',
                       raw.name, 'site_id, app_id, status', raw.orderby);
      END IF;
      PERFORM add_compression_policy(raw.name::regclass, compress_after => interval '3 days',
                                     if_not_exists => true);
    END LOOP;
    -- Deliberately no add_retention_policy on event, job or subjob: raw rows are removed only by
    -- the archiver, range by range, after the range is archived (drop_chunks on that range).
  END IF;
END
$$;

-- Per partition (plain PostgreSQL) or chunk (TimescaleDB) of event, job and subjob: its time
-- range, size, whether it is compressed, and the compression ratio. Plain PostgreSQL never
-- compresses: compressed = false, ratio NULL.
CREATE OR REPLACE FUNCTION compression_status_report()
RETURNS TABLE (table_name text, partition text, range_start timestamptz, range_end timestamptz,
               total_bytes bigint, compressed boolean, uncompressed_bytes bigint,
               compressed_bytes bigint, ratio double precision)
LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF dataplane_backend() = 'timescaledb' THEN
    RETURN QUERY EXECUTE $q$
      SELECT c.hypertable_name::text, c.chunk_name::text, c.range_start, c.range_end,
             pg_total_relation_size(format('%I.%I', c.chunk_schema, c.chunk_name)::regclass),
             c.is_compressed, s.before_compression_total_bytes, s.after_compression_total_bytes,
             s.before_compression_total_bytes::double precision
               / nullif(s.after_compression_total_bytes, 0)
      FROM timescaledb_information.chunks c
      LEFT JOIN LATERAL chunk_compression_stats(format('%I.%I', c.hypertable_schema,
                                                       c.hypertable_name)::regclass) s
        ON s.chunk_schema = c.chunk_schema AND s.chunk_name = c.chunk_name
      WHERE c.hypertable_name IN ('event', 'job', 'subjob')
      ORDER BY 1, 3 $q$;
    RETURN;
  END IF;
  RETURN QUERY
    SELECT parent.relname::text, child.relname::text,
           (regexp_match(pg_get_expr(child.relpartbound, child.oid), 'FROM \(''([^'']+)''\)'))[1]::timestamptz,
           (regexp_match(pg_get_expr(child.relpartbound, child.oid), 'TO \(''([^'']+)''\)'))[1]::timestamptz,
           pg_total_relation_size(child.oid), false, pg_total_relation_size(child.oid),
           NULL::bigint, NULL::double precision
    FROM pg_inherits i
    JOIN pg_class parent ON parent.oid = i.inhparent
    JOIN pg_class child ON child.oid = i.inhrelid
    WHERE parent.relname IN ('event', 'job', 'subjob')
      AND parent.relnamespace = to_regnamespace(current_schema())
    ORDER BY 1, 3;
END
$$;

CREATE OR REPLACE VIEW compression_status AS SELECT * FROM compression_status_report();
