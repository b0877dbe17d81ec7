-- Why the two registries (event_key, entity_anchor):
--   A unique index on a partitioned table or hypertable must contain the partition column, so
--   neither "this idempotency key was seen" nor "this job's row is in partition X" can be
--   enforced by the time-partitioned tables themselves (an agent that regenerates the event
--   time on retry would slip past a (key, at) index). event_key holds every accepted key once,
--   unpartitioned, so a duplicate is one index probe whatever its time; entity_anchor maps each
--   job id to the time that places its current-state row and its subjobs' (subjobs registered
--   before schema version 4 have anchors of their own), so "current state of a job" is one
--   primary-key probe plus one partition-pruned primary-key probe. Both are narrow and
--   have their own retention (prune_registries), longer than MAX_EVENT_AGE_DAYS.
CREATE TABLE IF NOT EXISTS event_key (
  idempotency_key text PRIMARY KEY,
  event_at        timestamptz NOT NULL,
  received_at     timestamptz NOT NULL DEFAULT now()
);
-- BRIN: received_at grows with insertion order, so pruning finds old keys at almost no cost.
CREATE INDEX IF NOT EXISTS event_key_received_at_brin ON event_key USING brin (received_at);

CREATE TABLE IF NOT EXISTS entity_anchor (
  entity_id   uuid PRIMARY KEY,
  entity_type text NOT NULL CHECK (entity_type IN ('job', 'subjob')),
  anchor_at   timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS entity_anchor_created_at_brin ON entity_anchor USING brin (created_at);

-- Removes idempotency keys older than p_keep, and anchors older than p_keep whose state rows are
-- gone (the job's, its subjobs', or a legacy subjob's own; their partition or chunk dropped once
-- archived), in bounded chunks so that no single
-- statement holds locks for long; returns the number of rows removed. An anchor is kept for as
-- long as its job's or subjob's state row exists, however old: a late event for a long-lived
-- job then still finds its row, and a job never gets a second current state in the hot tables.
CREATE OR REPLACE FUNCTION prune_registries(p_keep interval, p_chunk integer DEFAULT 10000)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  removed bigint := 0;
  n bigint;
BEGIN
  LOOP
    DELETE FROM event_key WHERE ctid = ANY (ARRAY(
      SELECT ctid FROM event_key WHERE received_at < now() - p_keep LIMIT p_chunk));
    GET DIAGNOSTICS n = ROW_COUNT;
    removed := removed + n;
    EXIT WHEN n < p_chunk;
  END LOOP;
  LOOP
    -- Each state probe is a primary-key lookup in the one partition anchor_at names.
    DELETE FROM entity_anchor WHERE ctid = ANY (ARRAY(
      SELECT a.ctid FROM entity_anchor a
      WHERE a.created_at < now() - p_keep
        AND NOT EXISTS (SELECT 1 FROM job j WHERE j.job_id = a.entity_id AND j.anchor_at = a.anchor_at)
        AND NOT EXISTS (SELECT 1 FROM subjob s WHERE s.job_id = a.entity_id AND s.anchor_at = a.anchor_at)
        AND NOT EXISTS (SELECT 1 FROM subjob s WHERE s.subjob_id = a.entity_id AND s.anchor_at = a.anchor_at)
      LIMIT p_chunk));
    GET DIAGNOSTICS n = ROW_COUNT;
    removed := removed + n;
    EXIT WHEN n < p_chunk;
  END LOOP;
  RETURN removed;
END
$$;
