-- Application registry: one row per app_id, with the name and version its latest event reported.
CREATE TABLE IF NOT EXISTS app (
  app_id        uuid PRIMARY KEY,
  name          text NOT NULL,
  version       text,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
