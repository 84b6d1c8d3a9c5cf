/**
 * Agent memory beyond the session: the key-value store, facts with hybrid
 * (BM25 + vector) recall and the prompt's memory slot, retention, the
 * knowledge graph, and tool history.
 *
 * @module
 */
export { type Embedder, meteredEmbedder } from "./embedder.ts";
export { KnowledgeGraph, KnowledgeQuery, type KnowledgeResult, layout } from "./knowledge.ts";
export { bm25Candidates, ftsMatch, fuse, type Fused, RRF_K, vectorCandidates } from "./recall.ts";
export { MemoryService, type MemoryServiceDeps, parseInput } from "./service.ts";
export { blobVector, cosine, signCode, vectorBlob } from "./vectors.ts";
