/**
 * The `audit_entries` table: row-level access for the hash-chained audit log
 * (kernel/security/audit.ts owns the chain). Rows are read back as stored —
 * `detail` is JSON text — so verification sees exactly what is on disk.
 *
 * @module
 */
import { type Database, prepared, preparedOnce } from "./database.ts";

/** One stored audit row; `detail` is JSON text. */
export interface AuditRow {
  id: number;
  ts: string;
  action: string;
  actor: string;
  agent_id: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

/** Inserts a row with its explicit id (the chain assigns ids, not SQLite). */
export function insertAuditEntry(db: Database, row: AuditRow): void {
  prepared(
    db,
    `INSERT INTO audit_entries (id, ts, action, actor, agent_id, detail, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    row.id,
    row.ts,
    row.action,
    row.actor,
    row.agent_id,
    row.detail,
    row.prev_hash,
    row.hash,
  );
}

/** The row with the highest id, or undefined when the log is empty. */
export function lastAuditEntry(db: Database): AuditRow | undefined {
  return prepared(db, "SELECT * FROM audit_entries ORDER BY id DESC LIMIT 1").get() as
    | AuditRow
    | undefined;
}

/** Number of rows in the log. */
export function countAuditEntries(db: Database): number {
  const row = prepared(db, "SELECT COUNT(*) AS n FROM audit_entries").get() as { n: number };
  return row.n;
}

/** The row with `id`, or undefined. */
export function auditEntryById(db: Database, id: number): AuditRow | undefined {
  return prepared(db, "SELECT * FROM audit_entries WHERE id = ?").get(id) as AuditRow | undefined;
}

/** Up to `limit` rows with ids in (`afterId`, `upToId`], in id order (one batch of a stepped walk). */
export function auditEntriesBetween(
  db: Database,
  range: { afterId: number; upToId: number; limit: number },
): AuditRow[] {
  return prepared(
    db,
    "SELECT * FROM audit_entries WHERE id > ? AND id <= ? ORDER BY id LIMIT ?",
  ).all(range.afterId, range.upToId, range.limit) as unknown as AuditRow[];
}

/**
 * Every row in id order, read one at a time (`StatementSync.iterate()`), so
 * walking millions of rows never holds them all in memory.
 */
export function iterateAuditEntries(db: Database): IterableIterator<AuditRow> {
  return preparedOnce(db, "SELECT * FROM audit_entries ORDER BY id").iterate() as IterableIterator<
    AuditRow
  >;
}

/** Options for {@link listAuditEntries}. */
export interface ListAuditOptions {
  /** At most this many rows (default 50). */
  limit?: number;
  /** Only rows with an id below this (paging cursor). */
  before?: number;
  /** Only rows about this agent id. */
  agentId?: string;
  /** Only rows with this action. */
  action?: string;
}

/** Rows newest first, filtered and paged by an id cursor. */
export function listAuditEntries(db: Database, options: ListAuditOptions = {}): AuditRow[] {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (options.before !== undefined) {
    where.push("id < ?");
    params.push(options.before);
  }
  if (options.agentId !== undefined) {
    where.push("agent_id = ?");
    params.push(options.agentId);
  }
  if (options.action !== undefined) {
    where.push("action = ?");
    params.push(options.action);
  }
  params.push(options.limit ?? 50);
  return prepared(
    db,
    `SELECT * FROM audit_entries ${where.length ? "WHERE " + where.join(" AND ") : ""}
     ORDER BY id DESC LIMIT ?`,
  ).all(...params) as unknown as AuditRow[];
}
