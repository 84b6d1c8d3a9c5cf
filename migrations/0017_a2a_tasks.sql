-- A2A tasks: each one a turn of an agent offered over A2A, kept as the
-- A2A v1.0 JSON of the task so tasks/get answers after a restart.
CREATE TABLE a2a_tasks (
  id TEXT PRIMARY KEY,
  agent TEXT NOT NULL,
  context_id TEXT NOT NULL,
  task TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE INDEX a2a_tasks_agent ON a2a_tasks (agent, updated_at);
