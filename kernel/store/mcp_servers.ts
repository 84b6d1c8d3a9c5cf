/**
 * The `mcp_servers` table (servers added through the API or CLI, their
 * configuration as JSON) and `mcp_server_allows` (servers an admin allowed
 * although their tool descriptions were flagged).
 *
 * @module
 */
import { type Database, nowIso, prepared } from "./database.ts";

/** One stored server entry. */
export interface McpServerRow {
  name: string;
  /** The configuration, as JSON text. */
  config: string;
  created_at: string;
  created_by: string;
}

/** Every stored server, by name. */
export function listMcpServers(db: Database): McpServerRow[] {
  return prepared(db, "SELECT name, config, created_at, created_by FROM mcp_servers ORDER BY name")
    .all() as unknown as McpServerRow[];
}

/** Stores a server; false when the name is taken. */
export function insertMcpServer(
  db: Database,
  row: { name: string; config: string; createdBy: string },
): boolean {
  const result = prepared(
    db,
    `INSERT INTO mcp_servers (name, config, created_at, created_by) VALUES (?, ?, ?, ?)
     ON CONFLICT (name) DO NOTHING`,
  ).run(row.name, row.config, nowIso(), row.createdBy);
  return Number(result.changes) === 1;
}

/** Deletes a stored server and its allow decision; true when it existed. */
export function deleteMcpServer(db: Database, name: string): boolean {
  prepared(db, "DELETE FROM mcp_server_allows WHERE name = ?").run(name);
  return Number(prepared(db, "DELETE FROM mcp_servers WHERE name = ?").run(name).changes) === 1;
}

/** Records that an admin allowed a flagged server. */
export function allowMcpServer(db: Database, name: string, by: string): void {
  prepared(
    db,
    `INSERT INTO mcp_server_allows (name, allowed_at, allowed_by) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET allowed_at = excluded.allowed_at, allowed_by = excluded.allowed_by`,
  ).run(name, nowIso(), by);
}

/** Names of the servers an admin allowed. */
export function allowedMcpServers(db: Database): Set<string> {
  const rows = prepared(db, "SELECT name FROM mcp_server_allows").all() as { name: string }[];
  return new Set(rows.map((r) => r.name));
}
