-- The archiver's records (src/archiver/, docs/archiver.md).
--
-- archive_manifest: one row per Parquet object in the archive. A row exists exactly when the
-- object's rows have left the hot tables: the archiver inserts it in the same transaction that
-- removes them, after the object was verified in the store. Keys are deterministic
-- ({prefix}site=S/table=T/date=D/part-NNNN.parquet, NNNN = the part number), so a retried
-- upload overwrites the same object, and an object without a row is an orphan of an interrupted
-- run that the next run deletes.
CREATE TABLE IF NOT EXISTS archive_manifest (
  table_name  text NOT NULL CHECK (table_name IN ('event', 'job', 'subjob')),
  site_id     text NOT NULL,
  day         date NOT NULL,                   -- the UTC day of the time column (at / anchor_at)
  part        integer NOT NULL CHECK (part >= 0),
  object_key  text NOT NULL,
  store       text NOT NULL,                   -- s3://bucket or file:///dir: where the key lives
  rows        bigint NOT NULL CHECK (rows > 0),
  bytes       bigint NOT NULL CHECK (bytes > 0),
  sha256      text NOT NULL,                   -- hex of the object's bytes
  codec       text NOT NULL,
  min_at      timestamptz NOT NULL,            -- the range of the time column inside the object
  max_at      timestamptz NOT NULL,
  archived_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (table_name, site_id, day, part),
  UNIQUE (store, object_key)
);

-- Days an operator restored (`dataplane archiver restore`): the archiver leaves them hot until
-- `hold_until`, then archives them again as new parts.
CREATE TABLE IF NOT EXISTS archive_hold (
  table_name  text NOT NULL CHECK (table_name IN ('event', 'job', 'subjob')),
  day         date NOT NULL,
  hold_until  timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (table_name, day)
);

-- One row per archiver run, for `dataplane archiver --status` (last success, duration,
-- failures); the archiver keeps the latest 1000.
CREATE TABLE IF NOT EXISTS archive_run (
  run_id      bigserial PRIMARY KEY,
  started_at  timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  ok          boolean NOT NULL,
  parts       integer NOT NULL DEFAULT 0,
  rows        bigint NOT NULL DEFAULT 0,
  bytes       bigint NOT NULL DEFAULT 0,
  error       text
);
