-- Budget checks sum usage over a sliding window (an hour, a day) on every
-- model call; summing the usage rows themselves costs more with every row
-- of the window. Usage is also rolled up per agent and UTC minute (and
-- under agent_id '' for everyone), kept in the same transaction as each
-- usage row: a window is its whole minutes from here plus the usage rows of
-- its first, partial minute.
CREATE TABLE usage_minutes (
  agent_id TEXT NOT NULL,
  minute   INTEGER NOT NULL,
  calls    INTEGER NOT NULL,
  tokens   INTEGER NOT NULL,
  cost_usd REAL NOT NULL,
  PRIMARY KEY (agent_id, minute)
) WITHOUT ROWID;

INSERT INTO usage_minutes (agent_id, minute, calls, tokens, cost_usd)
SELECT agent_id, CAST(strftime('%s', created_at) AS INTEGER) / 60, count(*),
       sum(input_tokens + output_tokens), sum(cost_usd)
  FROM usage GROUP BY 1, 2;

INSERT INTO usage_minutes (agent_id, minute, calls, tokens, cost_usd)
SELECT '', CAST(strftime('%s', created_at) AS INTEGER) / 60, count(*),
       sum(input_tokens + output_tokens), sum(cost_usd)
  FROM usage GROUP BY 2;

-- Events are pruned by id (ids grow with time), not through an index on ts:
-- one index fewer to write per event.
DROP INDEX events_ts;
