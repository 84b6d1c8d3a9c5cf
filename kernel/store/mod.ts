/**
 * SQLite substrate (`node:sqlite`): connection, migrations and one module per
 * table family.
 *
 * @module
 */
export { type Database, nowIso, openDatabase, transaction } from "./database.ts";
export { migrate, type MigrationReport, schemaVersion } from "./migrations.ts";
export * from "./agents.ts";
export * from "./sessions.ts";
export * from "./session_records.ts";
export * from "./events.ts";
export * from "./tokens.ts";
export * from "./web_sessions.ts";
export * from "./usage.ts";
export * from "./audit.ts";
export * from "./memory.ts";
export * from "./skill_kv.ts";
export * from "./approvals.ts";
export * from "./schedules.ts";
export * from "./hands.ts";
export * from "./snapshot.ts";
export * from "./mcp_servers.ts";
export * from "./a2a_tasks.ts";
export * from "./facts.ts";
export * from "./fact_codes.ts";
export * from "./knowledge.ts";
export * from "./tool_history.ts";
export * from "./identity.ts";
