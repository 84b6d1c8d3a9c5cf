/**
 * Helpers for audit tests: a migrated database in a temp dir, a way to append
 * many entries, and raw row access for tampering.
 *
 * @module
 */
import { MIGRATIONS } from "../../../migrations/mod.ts";
import type { AuditChain } from "../../../kernel/security/mod.ts";
import * as store from "../../../kernel/store/mod.ts";
import { withTempDir } from "../fixtures.ts";

/** A migrated database file in a temp dir. */
export function withDb(
  fn: (db: store.Database, path: string) => void | Promise<void>,
): () => Promise<void> {
  return () =>
    withTempDir(async (dir) => {
      const path = `${dir}/talon.db`;
      const db = store.openDatabase(path);
      try {
        store.migrate(db, MIGRATIONS);
        await fn(db, path);
      } finally {
        db.close();
      }
    });
}

/** Appends `count` tool.call entries about agents a0..a2. */
export function appendMany(chain: AuditChain, count: number): void {
  for (let i = 1; i <= count; i++) {
    chain.append({
      action: "tool.call",
      actor: `agent:a${i % 3}`,
      agent_id: `a${i % 3}`,
      detail: { n: i, tool: "system_time" },
    });
  }
}

/** One raw row of `audit_entries`. */
export function row(db: store.Database, id: number): store.AuditRow {
  return db.prepare("SELECT * FROM audit_entries WHERE id = ?").get(
    id,
  ) as unknown as store.AuditRow;
}
