/**
 * Facts (`facts`, `facts_fts`, `fact_totals`): an agent's semantic memory,
 * apart from the key-value store. A fact is visible to the agent that wrote
 * it and, when its scope is `shared`, to every agent. Forgetting is a soft
 * delete; eviction (the per-agent cap) deletes rows.
 *
 * @module
 */
import type { FactView, MemoryScope } from "../types.ts";
import { type Database, prepared, transaction } from "./database.ts";

/** A fact row with its embedding. */
interface FactRow {
  id: number;
  agent_id: string;
  scope: MemoryScope;
  text: string;
  source: string;
  confidence: number;
  access_count: number;
  created_at: string;
  accessed_at: string;
  embedding_dims: number | null;
}

const COLUMNS =
  "id, agent_id, scope, text, source, confidence, access_count, created_at, accessed_at, embedding_dims";

/** Bytes a fact counts against its agent's cap: text, vector and row overhead. */
export function factBytes(text: string, vectorBytes: number): number {
  return new TextEncoder().encode(text).length + vectorBytes + 96;
}

/** Inserts a fact; returns its id. */
export function insertFact(
  db: Database,
  fact: {
    agentId: string;
    scope: MemoryScope;
    text: string;
    source: string;
    confidence: number;
    at: string;
    embedding?: { vector: Uint8Array; dims: number; model: string };
  },
): number {
  const e = fact.embedding;
  const row = prepared(
    db,
    `INSERT INTO facts (agent_id, scope, text, source, confidence, stated_confidence, created_at,
       accessed_at, embedding, embedding_dims, embedding_model, bytes)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
  ).get(
    fact.agentId,
    fact.scope,
    fact.text,
    fact.source,
    fact.confidence,
    fact.confidence,
    fact.at,
    fact.at,
    e?.vector ?? null,
    e?.dims ?? null,
    e?.model ?? null,
    factBytes(fact.text, e?.vector.byteLength ?? 0),
  ) as { id: number };
  return row.id;
}

/** A live fact `agentId` can see, if any. */
export function getVisibleFact(db: Database, agentId: string, id: number): FactView | undefined {
  return prepared(
    db,
    `SELECT ${COLUMNS} FROM facts
     WHERE id = ? AND deleted_at IS NULL AND (agent_id = ? OR scope = 'shared')`,
  ).get(id, agentId) as FactRow | undefined;
}

/** Live facts `agentId` can see, newest first, before id `before`. */
export function listVisibleFacts(
  db: Database,
  agentId: string,
  options: { limit: number; before?: number },
): FactView[] {
  return prepared(
    db,
    `SELECT ${COLUMNS} FROM facts
     WHERE deleted_at IS NULL AND (agent_id = ? OR scope = 'shared') AND id < ?
     ORDER BY id DESC LIMIT ?`,
  ).all(agentId, options.before ?? Number.MAX_SAFE_INTEGER, options.limit) as unknown as FactView[];
}

/** The live facts among `ids` that `agentId` can see (any order). */
export function visibleFactsByIds(
  db: Database,
  agentId: string,
  ids: readonly number[],
): FactView[] {
  return prepared(
    db,
    // CROSS JOIN: look each id up by its key (the OR below would make SQLite scan the table).
    `SELECT ${COLUMNS.split(", ").map((c) => `f.${c}`).join(", ")}
     FROM json_each(?) AS j CROSS JOIN facts AS f ON f.id = j.value
     WHERE f.deleted_at IS NULL AND (f.agent_id = ? OR f.scope = 'shared')`,
  ).all(JSON.stringify(ids), agentId) as unknown as FactView[];
}

/** Embeddings of the live facts among `ids` that `agentId` can see, made by `model`. */
export function visibleVectors(
  db: Database,
  agentId: string,
  options: { ids: readonly number[]; model: string },
): { id: number; embedding: Uint8Array }[] {
  return prepared(
    db,
    `SELECT f.id AS id, f.embedding AS embedding
     FROM json_each(?) AS j CROSS JOIN facts AS f ON f.id = j.value
     WHERE f.deleted_at IS NULL AND (f.agent_id = ? OR f.scope = 'shared')
       AND f.embedding_model = ?`,
  ).all(JSON.stringify(options.ids), agentId, options.model) as unknown as {
    id: number;
    embedding: Uint8Array;
  }[];
}

/**
 * Full-text candidates for an FTS5 `match` expression among the facts
 * `agentId` can see, best BM25 first.
 */
export function ftsCandidates(
  db: Database,
  agentId: string,
  options: { match: string; limit: number },
): number[] {
  const rows = prepared(
    db,
    `SELECT f.id AS id FROM facts_fts CROSS JOIN facts f ON f.id = facts_fts.rowid
     WHERE facts_fts MATCH ? AND f.deleted_at IS NULL AND (f.agent_id = ? OR f.scope = 'shared')
     ORDER BY bm25(facts_fts) LIMIT ?`,
  ).all(options.match, agentId, options.limit) as { id: number }[];
  return rows.map((r) => r.id);
}

/** Marks facts as used now: one more access, and the stated confidence back. */
export function touchFacts(db: Database, ids: readonly number[], at: string): void {
  if (ids.length === 0) return;
  prepared(
    db,
    `UPDATE facts SET access_count = access_count + 1, accessed_at = ?, confidence = stated_confidence
     WHERE id IN (SELECT value FROM json_each(?))`,
  ).run(at, JSON.stringify(ids));
}

/** Soft-deletes a live fact written by `agentId`; false when there is none. */
export function forgetFact(db: Database, agentId: string, id: number, at: string): boolean {
  const result = prepared(
    db,
    "UPDATE facts SET deleted_at = ? WHERE id = ? AND agent_id = ? AND deleted_at IS NULL",
  ).run(at, id, agentId);
  return result.changes > 0;
}

/**
 * Lowers the confidence of live facts not accessed since `cutoff`: halved
 * for each whole `windowMs` since their last access, never below `floor`.
 * Returns how many facts changed.
 */
export function decayFacts(
  db: Database,
  options: { cutoff: string; now: number; windowMs: number; floor: number },
): number {
  const rows = prepared(
    db,
    `SELECT id, stated_confidence AS stated, confidence, accessed_at FROM facts
     WHERE deleted_at IS NULL AND accessed_at < ? AND confidence > ?`,
  ).all(options.cutoff, options.floor) as {
    id: number;
    stated: number;
    confidence: number;
    accessed_at: string;
  }[];
  let changed = 0;
  transaction(db, () => {
    const update = prepared(db, "UPDATE facts SET confidence = ? WHERE id = ?");
    for (const row of rows) {
      const periods = Math.floor((options.now - Date.parse(row.accessed_at)) / options.windowMs);
      const next = Math.max(options.floor, row.stated * 0.5 ** periods);
      if (next < row.confidence) {
        update.run(next, row.id);
        changed++;
      }
    }
  });
  return changed;
}

/** Rows and bytes of facts `agentId` keeps (forgotten ones included until evicted). */
export function factTotals(db: Database, agentId: string): { count: number; bytes: number } {
  return (prepared(db, "SELECT count, bytes FROM fact_totals WHERE agent_id = ?").get(agentId) as
    | { count: number; bytes: number }
    | undefined) ?? { count: 0, bytes: 0 };
}

/**
 * Deletes up to `count` facts of `agentId`: forgotten ones first, then the
 * least confident, oldest first. Returns the ids deleted.
 */
export function evictFacts(db: Database, agentId: string, count: number): number[] {
  return transaction(db, () => {
    const rows = prepared(
      db,
      `SELECT id FROM facts WHERE agent_id = ?
       ORDER BY deleted_at IS NULL, confidence, created_at, id LIMIT ?`,
    ).all(agentId, count) as { id: number }[];
    const ids = rows.map((r) => r.id);
    prepared(db, "DELETE FROM facts WHERE id IN (SELECT value FROM json_each(?))")
      .run(JSON.stringify(ids));
    return ids;
  });
}

/** Counts of one agent's facts. */
export function factCounts(
  db: Database,
  agentId: string,
): { facts: number; forgotten: number; shared: number; embedded: number; bytes: number } {
  const row = prepared(
    db,
    `SELECT COUNT(*) FILTER (WHERE deleted_at IS NULL) AS facts,
            COUNT(*) FILTER (WHERE deleted_at IS NOT NULL) AS forgotten,
            COUNT(*) FILTER (WHERE deleted_at IS NULL AND scope = 'shared') AS shared,
            COUNT(*) FILTER (WHERE deleted_at IS NULL AND embedding IS NOT NULL) AS embedded
     FROM facts WHERE agent_id = ?`,
  ).get(agentId) as { facts: number; forgotten: number; shared: number; embedded: number };
  return { ...row, bytes: factTotals(db, agentId).bytes };
}

/** Agents that keep facts or graph entries. */
export function agentsWithMemory(db: Database): string[] {
  const rows = prepared(
    db,
    `SELECT agent_id FROM fact_totals WHERE count > 0
     UNION SELECT agent_id FROM memories UNION SELECT agent_id FROM kg_entities`,
  ).all() as { agent_id: string }[];
  return rows.map((r) => r.agent_id);
}
