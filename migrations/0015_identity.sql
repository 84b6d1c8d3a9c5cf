-- Agent identity (issue 18, item 7). Each agent has an Ed25519 key pair; its
-- private half is stored sealed with AES-GCM under the data dir's identity
-- key (or the key from `[security] key_env`), never in plain text. Keys stay
-- after an agent is purged, so the messages it signed can still be checked.
CREATE TABLE agent_keys (
  key_id      TEXT PRIMARY KEY,
  agent_id    TEXT NOT NULL UNIQUE,
  public_key  TEXT NOT NULL,
  private_key TEXT NOT NULL,
  created_at  TEXT NOT NULL
) STRICT;

-- The signature of an inter-agent message (the turn it started). The text
-- itself is the turn's input; the signature covers it with the sender, the
-- recipient, the turn id and the time it was sent.
CREATE TABLE agent_messages (
  turn_id      TEXT PRIMARY KEY REFERENCES turns(id) ON DELETE CASCADE,
  sender_id    TEXT NOT NULL,
  recipient_id TEXT NOT NULL,
  sent_at      TEXT NOT NULL,
  key_id       TEXT NOT NULL,
  signature    TEXT NOT NULL
) STRICT;

-- The newest signed manifest version applied under each agent name
-- (rollback protection survives kill and re-spawn).
CREATE TABLE signed_manifests (
  name       TEXT PRIMARY KEY,
  version    TEXT NOT NULL,
  key_id     TEXT NOT NULL,
  digest     TEXT NOT NULL,
  applied_at TEXT NOT NULL
) STRICT;
