-- Schedules (cron, every, at) that send an agent a message, and one row per
-- firing. A row owned by `manifest` follows its agent's [schedule];
-- `hand:<instance>` rows belong to a Hand instance.

CREATE TABLE schedules (
  id             TEXT PRIMARY KEY,
  agent_id       TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  owner          TEXT NOT NULL
                 CHECK (owner IN ('user', 'agent', 'manifest') OR owner GLOB 'hand:?*'),
  kind           TEXT NOT NULL CHECK (kind IN ('cron', 'every', 'at')),
  expr           TEXT NOT NULL,
  tz             TEXT NOT NULL DEFAULT 'UTC',
  message        TEXT NOT NULL,
  catch_up       TEXT NOT NULL DEFAULT 'once' CHECK (catch_up IN ('once', 'skip')),
  overlap        TEXT NOT NULL DEFAULT 'skip' CHECK (overlap IN ('skip', 'queue')),
  max_runtime_ms INTEGER NOT NULL DEFAULT 600000 CHECK (max_runtime_ms > 0),
  enabled        INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  -- The next due time (ISO UTC); NULL when disabled, spent, or not computed yet
  -- (rows this migration creates: the kernel computes it at boot).
  next_due       TEXT,
  created_by     TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
) STRICT;

CREATE INDEX schedules_due ON schedules (next_due) WHERE enabled = 1;
CREATE INDEX schedules_agent ON schedules (agent_id, owner);
CREATE UNIQUE INDEX schedules_manifest ON schedules (agent_id) WHERE owner = 'manifest';

CREATE TABLE schedule_runs (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  schedule_id TEXT NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
  agent_id    TEXT NOT NULL,
  trigger     TEXT NOT NULL CHECK (trigger IN ('due', 'catch_up', 'manual')),
  due_at      TEXT NOT NULL,
  started_at  TEXT,
  ended_at    TEXT,
  outcome     TEXT NOT NULL
              CHECK (outcome IN ('queued', 'running', 'ok', 'failed', 'skipped', 'missed',
                                 'timeout', 'interrupted')),
  turn_id     TEXT,
  cost_usd    REAL NOT NULL DEFAULT 0 CHECK (cost_usd >= 0),
  reason      TEXT,
  message     TEXT
) STRICT;

CREATE INDEX schedule_runs_schedule ON schedule_runs (schedule_id, id);
CREATE INDEX schedule_runs_open ON schedule_runs (outcome) WHERE outcome IN ('queued', 'running');

-- Stored manifests move from the old {mode, cron} shape: a periodic schedule
-- with a cron becomes {cron, message} with a fixed message (below) and a row
-- owned by the manifest; every other mode (reactive, proactive, continuous)
-- never fired anything, so it becomes no [schedule] at all.
UPDATE agents
   SET manifest = json_set(manifest, '$.schedule', json_object(
         'cron', json_extract(manifest, '$.schedule.cron'),
         'message', 'Scheduled run: carry out your periodic task now.'))
 WHERE json_extract(manifest, '$.schedule.mode') = 'periodic'
   AND json_extract(manifest, '$.schedule.cron') IS NOT NULL;

UPDATE agents
   SET manifest = json_remove(manifest, '$.schedule')
 WHERE json_type(manifest, '$.schedule.mode') IS NOT NULL;

INSERT INTO schedules (id, agent_id, owner, kind, expr, tz, message, created_by,
                       created_at, updated_at)
SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' ||
             substr(hex(randomblob(2)), 2) || '-a' || substr(hex(randomblob(2)), 2) || '-' ||
             hex(randomblob(6))),
       id, 'manifest', 'cron', json_extract(manifest, '$.schedule.cron'), 'UTC',
       json_extract(manifest, '$.schedule.message'), 'migration',
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
  FROM agents
 WHERE state <> 'killed'
   AND json_extract(manifest, '$.schedule.cron') IS NOT NULL;
