-- Dashboard sessions: a login with an API token sets an opaque cookie; only a
-- SHA-256 of its value is stored. A session carries its token's role and ends
-- when the token is revoked, on logout, or at expires_at.

CREATE TABLE web_sessions (
  id_hash    TEXT PRIMARY KEY,
  token_id   TEXT NOT NULL REFERENCES api_tokens(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
) STRICT;

CREATE INDEX web_sessions_token ON web_sessions (token_id);
CREATE INDEX web_sessions_expiry ON web_sessions (expires_at);
