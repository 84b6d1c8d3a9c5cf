/**
 * Hybrid recall: BM25 candidates from FTS5 and vector candidates (sign-code
 * prefilter, exact cosine re-rank over float32) merged by reciprocal-rank
 * fusion, then weighted by confidence and recency.
 *
 * @module
 */
import * as store from "../store/mod.ts";
import type { FactView } from "../types.ts";
import { blobVector, CODE_WORDS, cosine, hamming, signCode, SmallestK } from "./vectors.ts";

/** Words too common to find anything by (English function words). */
const STOPWORDS = new Set(
  ("a an and are as at be but by do does did for from has have how i in is it its me my " +
    "of on or our so than that the their them then there these they this to was we were " +
    "what when where which who why will with you your").split(" "),
);

/** Candidates each retriever contributes. */
export const CANDIDATES = 30;
/** The RRF constant: a rank r contributes 1 / (RRF_K + r). */
export const RRF_K = 60;

/**
 * An FTS5 expression matching any word of `text` (each quoted, so no
 * operator or column filter of the input reaches FTS5); undefined without words.
 */
export function ftsMatch(text: string): string | undefined {
  const words = [...new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])]
    .filter((w) => !STOPWORDS.has(w)).slice(0, 32);
  return words.length ? words.map((w) => `"${w}"`).join(" OR ") : undefined;
}

/** BM25 candidates among the facts `agentId` sees, best first. */
export function bm25Candidates(
  db: store.Database,
  agentId: string,
  text: string,
  limit = CANDIDATES,
): number[] {
  const match = ftsMatch(text);
  return match === undefined ? [] : store.ftsCandidates(db, agentId, { match, limit });
}

/**
 * Vector candidates: the `pool` facts whose sign codes are nearest the
 * query's, re-ranked by exact cosine; the best `limit` with a positive
 * similarity, best first. Codes are read block by block, vectors only for
 * the pool: nothing of the store is held in memory.
 */
export function vectorCandidates(
  db: store.Database,
  agentId: string,
  query: { vector: Float32Array; model: string; limit?: number; pool?: number },
): number[] {
  const limit = query.limit ?? CANDIDATES;
  const nearest = new SmallestK(query.pool ?? Math.max(64, limit * 4));
  const code = signCode(query.vector);
  store.scanCodeBlocks(
    db,
    { spaces: [agentId, store.SHARED_SPACE], model: query.model },
    (block) => {
      if (block.codes.length !== block.count * CODE_WORDS) return;
      for (let i = 0; i < block.count; i++) {
        const d = hamming(code, block.codes, i * CODE_WORDS);
        if (d < nearest.bound) nearest.offer(block.ids[i]!, d);
      }
    },
  );
  const scored = store.visibleVectors(db, agentId, { ids: nearest.ids(), model: query.model })
    .flatMap(({ id, embedding }) => {
      const v = blobVector(embedding);
      if (v.length !== query.vector.length) return [];
      const sim = cosine(query.vector, v);
      return sim > 0 ? [{ id, sim }] : [];
    });
  scored.sort((a, b) => b.sim - a.sim || a.id - b.id);
  return scored.slice(0, limit).map((s) => s.id);
}

/** One fused result. */
export interface Fused {
  fact: FactView;
  score: number;
  via: ("bm25" | "vector")[];
}

/**
 * Merges ranked lists by reciprocal-rank fusion, then weights each score by
 * confidence (×0.5–1) and recency of access (×0.5–1, halving with every
 * `halfLifeMs` unused); best first, ties by newest.
 */
export function fuse(
  db: store.Database,
  agentId: string,
  lists: { bm25: number[]; vector: number[]; now: number; halfLifeMs: number; limit: number },
): Fused[] {
  const scores = new Map<number, { rrf: number; via: ("bm25" | "vector")[] }>();
  for (const [via, ids] of [["bm25", lists.bm25], ["vector", lists.vector]] as const) {
    ids.forEach((id, rank) => {
      const s = scores.get(id) ?? { rrf: 0, via: [] };
      s.rrf += 1 / (RRF_K + rank + 1);
      s.via.push(via);
      scores.set(id, s);
    });
  }
  const facts = store.visibleFactsByIds(db, agentId, [...scores.keys()]);
  return facts.map((fact) => {
    const s = scores.get(fact.id)!;
    const idle = Math.max(0, lists.now - Date.parse(fact.accessed_at));
    const recency = 0.5 + 0.5 * 0.5 ** (idle / lists.halfLifeMs);
    const weight = (0.5 + 0.5 * fact.confidence) * recency;
    return { fact, score: s.rrf * weight, via: s.via };
  }).sort((a, b) => b.score - a.score || b.fact.id - a.fact.id).slice(0, lists.limit);
}
