-- Approval requests: one row per gated tool call, kept after it is decided.
-- turn_id is not a foreign key: ephemeral turns (OpenAI-compatible requests) have no turn row.
CREATE TABLE approvals (
  id          TEXT PRIMARY KEY,
  agent_id    TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  turn_id     TEXT NOT NULL,
  call_id     TEXT NOT NULL,
  tool        TEXT NOT NULL,
  args        TEXT NOT NULL CHECK (json_valid(args)),
  risk        TEXT NOT NULL CHECK (risk IN ('low', 'medium', 'high')),
  gate        TEXT NOT NULL CHECK (gate IN ('config', 'manifest', 'tool', 'risk')),
  rule        TEXT NOT NULL,
  status      TEXT NOT NULL
              CHECK (status IN ('pending', 'approved', 'rejected', 'expired', 'cancelled')),
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  decided_by  TEXT,
  decided_at  TEXT,
  reason      TEXT
) STRICT;

CREATE INDEX approvals_status ON approvals (status, created_at);
CREATE INDEX approvals_agent ON approvals (agent_id, created_at);
CREATE INDEX approvals_turn ON approvals (turn_id);
