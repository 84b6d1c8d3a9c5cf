-- Hand instances (an agent spawned from a bundled Hand, with its settings and
-- the schedule it owns as `hand:<name>`), the reports their runs store, the
-- page copies page_diff compares against, and the predictor's forecasts.
-- Deactivating keeps the instance row (state 'deactivated'), its reports and runs.

CREATE TABLE hand_instances (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  hand_id     TEXT NOT NULL,
  agent_id    TEXT NOT NULL REFERENCES agents(id),
  state       TEXT NOT NULL CHECK (state IN ('active', 'paused', 'deactivated')),
  settings    TEXT NOT NULL CHECK (json_valid(settings)),
  cron        TEXT NOT NULL,
  tz          TEXT NOT NULL,
  model       TEXT,
  schedule_id TEXT,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;

CREATE UNIQUE INDEX hand_instances_name ON hand_instances (name) WHERE state <> 'deactivated';
CREATE INDEX hand_instances_agent ON hand_instances (agent_id);

CREATE TABLE reports (
  id          TEXT PRIMARY KEY,
  instance_id TEXT REFERENCES hand_instances(id),
  agent_id    TEXT NOT NULL,
  run_id      INTEGER,
  turn_id     TEXT NOT NULL,
  title       TEXT NOT NULL,
  body        TEXT NOT NULL,
  sources     TEXT NOT NULL CHECK (json_valid(sources)),
  delivery    TEXT CHECK (delivery IS NULL OR json_valid(delivery)),
  created_at  TEXT NOT NULL
) STRICT;

CREATE INDEX reports_instance ON reports (instance_id, created_at);
CREATE INDEX reports_created ON reports (created_at);

CREATE TABLE page_snapshots (
  agent_id   TEXT NOT NULL,
  url        TEXT NOT NULL,
  content    TEXT NOT NULL,
  fetched_at TEXT NOT NULL,
  -- The turn that last fetched it, and the diff it found then (NULL: baseline or unchanged).
  turn_id    TEXT NOT NULL,
  diff       TEXT,
  PRIMARY KEY (agent_id, url)
) STRICT;

CREATE TABLE forecasts (
  id          TEXT NOT NULL,
  agent_id    TEXT NOT NULL,
  question    TEXT NOT NULL,
  probability REAL NOT NULL CHECK (probability >= 0 AND probability <= 1),
  resolve_by  TEXT NOT NULL,
  rationale   TEXT NOT NULL DEFAULT '',
  recorded_at TEXT NOT NULL,
  turn_id     TEXT NOT NULL,
  outcome     INTEGER CHECK (outcome IS NULL OR outcome IN (0, 1)),
  source      TEXT,
  resolved_at TEXT,
  PRIMARY KEY (agent_id, id)
) STRICT;

CREATE INDEX forecasts_agent ON forecasts (agent_id, resolved_at);

-- The runs of a deactivated instance: its schedule (and with it schedule_runs)
-- is deleted, so its runs are copied here first.
CREATE TABLE hand_runs (
  id          INTEGER NOT NULL,
  instance_id TEXT NOT NULL REFERENCES hand_instances(id),
  trigger     TEXT NOT NULL,
  outcome     TEXT NOT NULL,
  started_at  TEXT,
  ended_at    TEXT,
  cost_usd    REAL NOT NULL,
  reason      TEXT,
  message     TEXT,
  PRIMARY KEY (instance_id, id)
) STRICT;
