-- MCP servers added at run time (config-declared ones live in config.toml),
-- and admins' decisions to allow servers whose tool descriptions were flagged.
CREATE TABLE mcp_servers (
  name TEXT PRIMARY KEY,
  config TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
) STRICT;

CREATE TABLE mcp_server_allows (
  name TEXT PRIMARY KEY,
  allowed_at TEXT NOT NULL,
  allowed_by TEXT NOT NULL
) STRICT;
