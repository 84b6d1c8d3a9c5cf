-- Agent memory: entries under a key with free text, private to each agent
-- and removed with it on purge.
CREATE TABLE memories (
  agent_id   TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  key        TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
  text       TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (agent_id, key)
) STRICT;

CREATE INDEX memories_recent ON memories (agent_id, updated_at);
