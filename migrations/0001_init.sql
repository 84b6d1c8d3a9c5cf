-- Agents, their sessions and turns, the persisted event log, API tokens.

CREATE TABLE agents (
  id             TEXT PRIMARY KEY,
  name           TEXT NOT NULL,
  description    TEXT NOT NULL DEFAULT '',
  state          TEXT NOT NULL
                 CHECK (state IN ('created', 'running', 'paused', 'suspended', 'killed')),
  parent_id      TEXT REFERENCES agents(id) ON DELETE CASCADE,
  provider       TEXT NOT NULL,
  model          TEXT NOT NULL,
  manifest       TEXT NOT NULL CHECK (json_valid(manifest)),
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  last_active_at TEXT
) STRICT;

-- Names are unique among agents that are not killed.
CREATE UNIQUE INDEX agents_live_name ON agents (name) WHERE state <> 'killed';
CREATE INDEX agents_parent ON agents (parent_id);
CREATE INDEX agents_created ON agents (created_at, id);

CREATE TABLE turns (
  id            TEXT PRIMARY KEY,
  agent_id      TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  status        TEXT NOT NULL
                CHECK (status IN ('queued', 'running', 'completed', 'failed',
                                  'interrupted', 'stopped', 'cancelled')),
  input         TEXT NOT NULL,
  output        TEXT NOT NULL DEFAULT '',
  error_code    TEXT,
  error_message TEXT,
  input_tokens  INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  created_at    TEXT NOT NULL,
  started_at    TEXT,
  ended_at      TEXT
) STRICT;

CREATE INDEX turns_agent ON turns (agent_id, created_at);
CREATE INDEX turns_open ON turns (status) WHERE status IN ('queued', 'running');

CREATE TABLE messages (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  agent_id   TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  turn_id    TEXT REFERENCES turns(id) ON DELETE SET NULL,
  role       TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'tool')),
  content    TEXT NOT NULL CHECK (json_valid(content)),
  created_at TEXT NOT NULL
) STRICT;

CREATE INDEX messages_agent ON messages (agent_id, id);

CREATE TABLE events (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  ts       TEXT NOT NULL,
  type     TEXT NOT NULL,
  agent_id TEXT,
  turn_id  TEXT,
  data     TEXT NOT NULL CHECK (json_valid(data))
) STRICT;

CREATE INDEX events_agent ON events (agent_id, id);
CREATE INDEX events_turn ON events (turn_id, id) WHERE turn_id IS NOT NULL;
CREATE INDEX events_ts ON events (ts);

CREATE TABLE api_tokens (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  role         TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
  salt         TEXT NOT NULL,
  hash         TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at   TEXT
) STRICT;
