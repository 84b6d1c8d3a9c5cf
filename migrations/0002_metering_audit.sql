-- Metering (one row per LLM call), budget caps set by admins, the order
-- turns started in, and the hash-chained audit log.

-- Usage rows outlive their agent: purge removes sessions, not the accounting
-- that global and monthly caps are computed from.
CREATE TABLE usage (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  agent_id      TEXT NOT NULL,
  turn_id       TEXT,
  provider      TEXT NOT NULL,
  model         TEXT NOT NULL,
  input_tokens  INTEGER NOT NULL CHECK (input_tokens >= 0),
  output_tokens INTEGER NOT NULL CHECK (output_tokens >= 0),
  cost_usd      REAL NOT NULL CHECK (cost_usd >= 0),
  latency_ms    INTEGER NOT NULL CHECK (latency_ms >= 0),
  created_at    TEXT NOT NULL
) STRICT;

CREATE INDEX usage_agent ON usage (agent_id, created_at);
CREATE INDEX usage_time ON usage (created_at);

-- The order turns started in: a prompt lists each turn's messages together,
-- in this order, though a queued turn's user message was stored earlier.
ALTER TABLE turns ADD COLUMN start_seq INTEGER;
CREATE UNIQUE INDEX turns_start_seq ON turns (start_seq) WHERE start_seq IS NOT NULL;

-- Caps an admin set with `talon budget set`: per agent (replacing the
-- config's [budget.agent] defaults) and global (replacing [budget]).
ALTER TABLE agents ADD COLUMN budget TEXT NOT NULL DEFAULT '{}'
  CHECK (json_valid(budget));

CREATE TABLE global_budget (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  caps       TEXT NOT NULL CHECK (json_valid(caps)),
  updated_at TEXT NOT NULL
) STRICT;

-- Each entry stores the SHA-256 of the previous entry's RFC 8785 canonical
-- JSON; entries are appended inside BEGIN IMMEDIATE so writers cannot fork it.
CREATE TABLE audit_entries (
  id        INTEGER PRIMARY KEY,
  ts        TEXT NOT NULL,
  action    TEXT NOT NULL,
  actor     TEXT NOT NULL,
  agent_id  TEXT,
  detail    TEXT NOT NULL CHECK (json_valid(detail)),
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
) STRICT;

CREATE INDEX audit_agent ON audit_entries (agent_id, id);
CREATE INDEX audit_action ON audit_entries (action, id);
