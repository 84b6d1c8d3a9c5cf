-- Prompt history served by an index. A message carries the start order of
-- its turn (`seq`, copied from turns.start_seq when the turn starts; 0 for a
-- message of no turn; NULL while its turn is still queued), so the last N
-- messages a prompt sees are one backwards walk of messages_prompt instead
-- of a join sorted over the agent's whole history.
ALTER TABLE messages ADD COLUMN seq INTEGER;
UPDATE messages SET seq = CASE
  WHEN turn_id IS NULL THEN 0
  ELSE (SELECT start_seq FROM turns WHERE turns.id = messages.turn_id)
END;
CREATE INDEX messages_prompt ON messages (agent_id, seq, id) WHERE seq IS NOT NULL;
-- Stamping a starting turn's user message, and ON DELETE SET NULL from turns.
CREATE INDEX messages_turn ON messages (turn_id);
