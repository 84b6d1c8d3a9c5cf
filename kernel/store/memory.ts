/**
 * Agent memory (`memories`): text entries under a key, private to one agent.
 * `memory_store` writes them, `memory_recall` reads them by key or by words.
 *
 * @module
 */
import { type Database, nowIso, prepared, transaction } from "./database.ts";

/** One remembered entry. */
export interface MemoryEntry {
  key: string;
  text: string;
  created_at: string;
  updated_at: string;
}

/** Entries one agent may keep. */
export const MAX_MEMORIES_PER_AGENT = 10_000;

/**
 * Stores `text` under `key` for `agentId`, replacing an entry with that key.
 * Returns whether the key is new; throws `RangeError` when the agent already
 * keeps {@link MAX_MEMORIES_PER_AGENT} entries.
 */
export function putMemory(
  db: Database,
  entry: { agentId: string; key: string; text: string },
): { created: boolean } {
  return transaction(db, () => {
    const existing = prepared(db, "SELECT 1 FROM memories WHERE agent_id = ? AND key = ?")
      .get(entry.agentId, entry.key);
    if (!existing) {
      const { n } = prepared(db, "SELECT COUNT(*) AS n FROM memories WHERE agent_id = ?")
        .get(entry.agentId) as { n: number };
      if (n >= MAX_MEMORIES_PER_AGENT) {
        throw new RangeError(
          `this agent already keeps ${n} memories, the most allowed; overwrite an existing key instead`,
        );
      }
    }
    const now = nowIso();
    prepared(
      db,
      `INSERT INTO memories (agent_id, key, text, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (agent_id, key) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at`,
    ).run(entry.agentId, entry.key, entry.text, now, now);
    return { created: !existing };
  });
}

/** The entry under `key`, if any. */
export function getMemory(db: Database, agentId: string, key: string): MemoryEntry | undefined {
  return prepared(
    db,
    "SELECT key, text, created_at, updated_at FROM memories WHERE agent_id = ? AND key = ?",
  ).get(agentId, key) as MemoryEntry | undefined;
}

/**
 * Entries whose key or text contains every word of `query` (case-insensitive;
 * all entries without one), most recently updated first.
 */
export function searchMemories(
  db: Database,
  agentId: string,
  options: { query?: string; limit: number },
): MemoryEntry[] {
  const words = (options.query ?? "").split(/\s+/).filter((w) => w !== "").slice(0, 16);
  const where = words.map(() => "(key LIKE ? ESCAPE '\\' OR text LIKE ? ESCAPE '\\')");
  const params = words.flatMap((w) => {
    const pattern = `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return [pattern, pattern];
  });
  return prepared(
    db,
    `SELECT key, text, created_at, updated_at FROM memories
     WHERE agent_id = ?${where.map((w) => ` AND ${w}`).join("")}
     ORDER BY updated_at DESC, key LIMIT ?`,
  ).all(agentId, ...params, options.limit) as unknown as MemoryEntry[];
}

/** Deletes the entry under `key`; false when there was none. */
export function deleteMemory(db: Database, agentId: string, key: string): boolean {
  return prepared(db, "DELETE FROM memories WHERE agent_id = ? AND key = ?")
    .run(agentId, key).changes > 0;
}

/** Entries `agentId` keeps. */
export function countMemories(db: Database, agentId: string): number {
  return (prepared(db, "SELECT COUNT(*) AS n FROM memories WHERE agent_id = ?").get(agentId) as {
    n: number;
  }).n;
}
