/**
 * MCP server entries added at run time: stored in SQLite (`mcp_servers`),
 * each change audited in the same transaction, and read back when Talon
 * starts. Config-file entries are never stored.
 *
 * @module
 */
import { TalonError } from "../errors.ts";
import type { Logger } from "../log.ts";
import * as store from "../store/mod.ts";
import type { AuditSink } from "../tools/mod.ts";
import { McpServerAddBody, McpServerConfig, parseOrRefuse } from "../types.ts";

/** Where entries are kept and their changes audited. */
export interface EntryStore {
  db: store.Database;
  audit: AuditSink;
}

/** The stored entries that still parse; an invalid one is logged and skipped. */
export function storedEntries(db: store.Database, log: Logger): [string, McpServerConfig][] {
  return store.listMcpServers(db).flatMap((row): [string, McpServerConfig][] => {
    const parsed = McpServerConfig.safeParse(JSON.parse(row.config));
    if (parsed.success) return [[row.name, parsed.data]];
    log.warn("stored MCP server entry is invalid; skipped", { server: row.name });
    return [];
  });
}

/** Validates and stores a new entry (audited); `name_taken` when `taken` says so. */
export function storeEntry(
  deps: EntryStore,
  input: unknown,
  options: { actor: string; taken: (name: string) => boolean },
): { name: string; config: McpServerConfig } {
  const { name, ...body } = parseOrRefuse(McpServerAddBody, input, { prefix: "invalid body" });
  if (options.taken(name)) {
    throw new TalonError(
      "name_taken",
      `an MCP server named "${name}" already exists; remove it first or pick another name`,
      { fields: { name: `"${name}" is taken` } },
    );
  }
  const config = McpServerConfig.parse(body);
  store.transaction(deps.db, () => {
    store.insertMcpServer(deps.db, {
      name,
      config: JSON.stringify(config),
      createdBy: options.actor,
    });
    deps.audit.append({
      action: "mcp.server.add",
      actor: options.actor,
      detail: { server: name, transport: config.transport },
    });
  });
  return { name, config };
}

/** Deletes a stored entry (audited). */
export function deleteEntry(deps: EntryStore, name: string, options: { actor: string }): void {
  store.transaction(deps.db, () => {
    store.deleteMcpServer(deps.db, name);
    deps.audit.append({
      action: "mcp.server.remove",
      actor: options.actor,
      detail: { server: name },
    });
  });
}

/** Records an admin's permission for a flagged server (audited with what was flagged). */
export function allowEntry(
  deps: EntryStore,
  name: string,
  options: { actor: string; flagged: readonly string[] },
): void {
  store.transaction(deps.db, () => {
    store.allowMcpServer(deps.db, name, options.actor);
    deps.audit.append({
      action: "mcp.server.allow",
      actor: options.actor,
      detail: { server: name, flagged: options.flagged },
    });
  });
}
