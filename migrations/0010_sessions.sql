-- Many sessions per agent. A session is one conversation: its messages are
-- what prompts are built from, and exactly one session per agent is current
-- (the one new turns join). Reset starts a new session and keeps the old one.
-- Existing messages move into one session per agent, which becomes current.
CREATE TABLE sessions (
  id         TEXT PRIMARY KEY,
  agent_id   TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  label      TEXT NOT NULL DEFAULT '' CHECK (length(label) <= 200),
  current    INTEGER NOT NULL DEFAULT 0 CHECK (current IN (0, 1)),
  created_at TEXT NOT NULL
) STRICT;

CREATE INDEX sessions_agent ON sessions (agent_id, created_at);
CREATE UNIQUE INDEX sessions_current ON sessions (agent_id) WHERE current = 1;

INSERT INTO sessions (id, agent_id, current, created_at)
SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' ||
             substr(hex(randomblob(2)), 2) || '-a' || substr(hex(randomblob(2)), 2) || '-' ||
             hex(randomblob(6))),
       id, 1, coalesce((SELECT min(created_at) FROM messages WHERE messages.agent_id = agents.id),
                       created_at)
  FROM agents;

-- The session a turn belongs to (NULL for an ephemeral turn, which has none):
-- every message the turn writes joins it.
ALTER TABLE turns ADD COLUMN session_id TEXT REFERENCES sessions(id) ON DELETE SET NULL;
UPDATE turns SET session_id = (SELECT id FROM sessions WHERE sessions.agent_id = turns.agent_id);

ALTER TABLE messages ADD COLUMN session_id TEXT REFERENCES sessions(id) ON DELETE CASCADE;
UPDATE messages
   SET session_id = (SELECT id FROM sessions WHERE sessions.agent_id = messages.agent_id);

-- The prompt history is one backwards walk of one session's messages.
DROP INDEX messages_prompt;
CREATE INDEX messages_prompt ON messages (session_id, seq, id) WHERE seq IS NOT NULL;
-- Paging a session by message id.
CREATE INDEX messages_session ON messages (session_id, id);
CREATE INDEX turns_session ON turns (session_id);

-- Compaction: a summary stands in the prompt for every message of its
-- session up to the turn that started `through_seq`-th. The messages stay;
-- each compaction adds a row (the newest is used), none is ever rewritten.
CREATE TABLE session_summaries (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id    TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  through_seq   INTEGER NOT NULL CHECK (through_seq >= 0),
  first_message INTEGER NOT NULL,
  last_message  INTEGER NOT NULL,
  message_count INTEGER NOT NULL CHECK (message_count > 0),
  text          TEXT NOT NULL,
  model         TEXT NOT NULL,
  input_tokens  INTEGER NOT NULL CHECK (input_tokens >= 0),
  output_tokens INTEGER NOT NULL CHECK (output_tokens >= 0),
  trigger       TEXT NOT NULL CHECK (trigger IN ('auto', 'manual')),
  created_at    TEXT NOT NULL
) STRICT;

CREATE INDEX session_summaries_session ON session_summaries (session_id, id);
