-- Taint tracking: an approval can be gated by taint (a high-risk call in a
-- turn that took in outside content), and every request records the outside
-- sources its turn had taken in (a JSON array, [] when none). SQLite cannot
-- change a CHECK constraint in place, so the table is rebuilt.
CREATE TABLE approvals_v16 (
  id          TEXT PRIMARY KEY,
  agent_id    TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  turn_id     TEXT NOT NULL,
  call_id     TEXT NOT NULL,
  tool        TEXT NOT NULL,
  args        TEXT NOT NULL CHECK (json_valid(args)),
  risk        TEXT NOT NULL CHECK (risk IN ('low', 'medium', 'high')),
  gate        TEXT NOT NULL CHECK (gate IN ('config', 'manifest', 'tool', 'risk', 'taint')),
  rule        TEXT NOT NULL,
  status      TEXT NOT NULL
              CHECK (status IN ('pending', 'approved', 'rejected', 'expired', 'cancelled')),
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  decided_by  TEXT,
  decided_at  TEXT,
  reason      TEXT,
  taint       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(taint))
) STRICT;

INSERT INTO approvals_v16 (id, agent_id, turn_id, call_id, tool, args, risk, gate, rule, status,
                           created_at, expires_at, decided_by, decided_at, reason)
SELECT id, agent_id, turn_id, call_id, tool, args, risk, gate, rule, status,
       created_at, expires_at, decided_by, decided_at, reason
FROM approvals;

DROP TABLE approvals;
ALTER TABLE approvals_v16 RENAME TO approvals;

CREATE INDEX approvals_status ON approvals (status, created_at);
CREATE INDEX approvals_agent ON approvals (agent_id, created_at);
CREATE INDEX approvals_turn ON approvals (turn_id);
