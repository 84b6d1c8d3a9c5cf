/**
 * Agent memory on the wire: the key-value store, facts (semantic memory),
 * hybrid search, stats, the knowledge graph, tool history, and the
 * `[memory]` config table.
 *
 * @module
 */
import { z } from "zod";

/** Who sees a fact or graph node: the agent that wrote it, or every agent. */
export const MemoryScope = z.enum(["agent", "shared"]);
/** A memory scope. */
export type MemoryScope = z.infer<typeof MemoryScope>;

/** `[memory]`: embeddings, the prompt's memory slot, decay and the per-agent cap. */
export const MemoryConfig = z.strictObject({
  /** `<provider>/<model>` of an OpenAI-compatible `/v1/embeddings`; recall is BM25 only without it. */
  embedding: z.string().regex(
    /^[a-z][a-z0-9_-]{0,63}\/.+$/,
    'must be "<provider>/<model>", e.g. "openai/text-embedding-3-small"',
  ).optional(),
  /** Facts recalled into the prompt before each model call (0 turns the slot off). */
  prompt_facts: z.number().int().min(0).max(50).default(5),
  /** Token budget of the prompt's memory slot. */
  prompt_tokens: z.number().int().min(16).max(32_000).default(500),
  /** A fact unaccessed this long loses confidence, once per such period. */
  decay_days: z.number().min(1).max(3650).default(30),
  /** Decay never takes confidence below this. */
  decay_floor: z.number().min(0).max(1).default(0.1),
  /** Facts one agent keeps; past it the oldest, least confident go. */
  max_facts: z.number().int().min(10).max(10_000_000).default(100_000),
  /** Bytes of facts (text and vectors) one agent keeps; past it the same eviction. */
  max_bytes: z.number().int().min(10_000).max(2 ** 40).default(256 * 1_048_576),
});
/** The `[memory]` table. */
export type MemoryConfig = z.infer<typeof MemoryConfig>;

/** One key-value entry. */
export const KvEntry = z.object({
  key: z.string(),
  text: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});
/** A key-value entry. */
export type KvEntry = z.infer<typeof KvEntry>;

/** `GET /api/agents/{id}/memory/kv`. */
export const KvList = z.object({ entries: z.array(KvEntry) });
/** A key-value listing. */
export type KvList = z.infer<typeof KvList>;

/** A key of the key-value store. */
export const KvKey = z.string().min(1, "must not be empty").max(200, "is longer than 200");

/** Body of `PUT /api/agents/{id}/memory/kv/{key}`. */
export const KvPutBody = z.strictObject({
  text: z.string().min(1, "must not be empty").max(100_000),
});
/** A key-value write. */
export type KvPutBody = z.infer<typeof KvPutBody>;

/** One fact. */
export const FactView = z.object({
  id: z.number().int(),
  agent_id: z.string(),
  scope: MemoryScope,
  text: z.string(),
  source: z.string(),
  confidence: z.number(),
  access_count: z.number().int(),
  created_at: z.string(),
  accessed_at: z.string(),
  /** Dimensions of its embedding, or null when it has none. */
  embedding_dims: z.number().int().nullable(),
});
/** A fact. */
export type FactView = z.infer<typeof FactView>;

/** `GET /api/agents/{id}/memory/facts`: newest first, paged by id. */
export const FactList = z.object({
  facts: z.array(FactView),
  next_before: z.number().int().nullable(),
});
/** A page of facts. */
export type FactList = z.infer<typeof FactList>;

/** Query of the fact listing. */
export const FactListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.coerce.number().int().positive().optional(),
});
/** Fact listing options. */
export type FactListQuery = z.infer<typeof FactListQuery>;

/** Body of `POST /api/agents/{id}/memory/facts` (and `memory_remember`). */
export const RememberBody = z.strictObject({
  text: z.string().trim().min(1, "must not be empty").max(10_000, "is longer than 10,000"),
  scope: MemoryScope.default("agent"),
  confidence: z.number().min(0).max(1).default(1),
});
/** A fact to remember. */
export type RememberBody = z.input<typeof RememberBody>;

/** Query of `GET /api/agents/{id}/memory/search`. */
export const MemorySearchQuery = z.strictObject({
  q: z.string().trim().min(1, "must not be empty").max(500),
  kind: z.enum(["facts", "kv", "all"]).default("all"),
  limit: z.coerce.number().int().min(1).max(100).default(10),
});
/** Search options. */
export type MemorySearchQuery = z.input<typeof MemorySearchQuery>;

/** One search hit: a fact (with how it was found) or a key-value entry. */
export const MemoryHit = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("fact"),
    fact: FactView,
    score: z.number(),
    /** Which retrievers found it. */
    via: z.array(z.enum(["bm25", "vector"])),
  }),
  z.object({ kind: z.literal("kv"), entry: KvEntry }),
]);
/** A search hit. */
export type MemoryHit = z.infer<typeof MemoryHit>;

/** `GET /api/agents/{id}/memory/search`. */
export const MemorySearchResult = z.object({
  /** `hybrid` (BM25 + vectors), or `bm25` when no embedding model is configured or it failed. */
  mode: z.enum(["hybrid", "bm25"]),
  hits: z.array(MemoryHit),
});
/** Search results. */
export type MemorySearchResult = z.infer<typeof MemorySearchResult>;

/** Memory figures of one agent. */
export const AgentMemoryStats = z.object({
  agent_id: z.string(),
  agent_name: z.string(),
  facts: z.number().int(),
  forgotten: z.number().int(),
  shared: z.number().int(),
  embedded: z.number().int(),
  bytes: z.number().int(),
  kv_entries: z.number().int(),
  entities: z.number().int(),
  relations: z.number().int(),
});
/** One agent's memory figures. */
export type AgentMemoryStats = z.infer<typeof AgentMemoryStats>;

/** `GET /api/memory/stats` and `GET /api/agents/{id}/memory/stats`. */
export const MemoryStats = z.object({
  /** The configured `<provider>/<model>`, or null: recall is then BM25 only. */
  embedding: z.string().nullable(),
  recall: z.enum(["hybrid", "bm25"]),
  max_facts: z.number().int(),
  max_bytes: z.number().int(),
  decay_days: z.number(),
  decay_floor: z.number(),
  agents: z.array(AgentMemoryStats),
});
/** Memory stats. */
export type MemoryStats = z.infer<typeof MemoryStats>;

/** A JSON object of properties of an entity or relation. */
const Properties = z.record(z.string().max(100), z.unknown()).default({});

/** Body of `knowledge_add`. */
export const EntityBody = z.strictObject({
  name: z.string().trim().min(1, "must not be empty").max(200),
  type: z.string().trim().min(1, "must not be empty").max(64),
  properties: Properties,
  scope: MemoryScope.default("agent"),
});
/** An entity to add. */
export type EntityBody = z.input<typeof EntityBody>;

/** Body of `knowledge_relate`: entities by name. */
export const RelationBody = z.strictObject({
  from: z.string().trim().min(1, "must not be empty").max(200),
  type: z.string().trim().min(1, "must not be empty").max(64),
  to: z.string().trim().min(1, "must not be empty").max(200),
  properties: Properties,
  scope: MemoryScope.default("agent"),
});
/** A relation to add. */
export type RelationBody = z.input<typeof RelationBody>;

/** An entity. */
export const EntityView = z.object({
  id: z.number().int(),
  name: z.string(),
  type: z.string(),
  scope: MemoryScope,
  properties: z.record(z.string(), z.unknown()),
});
/** An entity. */
export type EntityView = z.infer<typeof EntityView>;

/** A relation, with its endpoints' names. */
export const RelationView = z.object({
  id: z.number().int(),
  from: z.string(),
  type: z.string(),
  to: z.string(),
  scope: MemoryScope,
  properties: z.record(z.string(), z.unknown()),
});
/** A relation. */
export type RelationView = z.infer<typeof RelationView>;

/** A knowledge graph (or the part a query reached), laid out for drawing. */
export const GraphView = z.object({
  entities: z.array(EntityView.extend({ x: z.number(), y: z.number() })),
  relations: z.array(RelationView),
  /** True when the graph had more entities than were drawn. */
  truncated: z.boolean(),
});
/** A laid-out graph. */
export type GraphView = z.infer<typeof GraphView>;

/** One tool call from the audit log. */
export const ToolHistoryEntry = z.object({
  audit_id: z.number().int(),
  ts: z.string(),
  tool: z.string(),
  ok: z.boolean(),
  error_code: z.string().nullable(),
  duration_ms: z.number().int().nullable(),
  turn_id: z.string().nullable(),
});
/** A tool call. */
export type ToolHistoryEntry = z.infer<typeof ToolHistoryEntry>;

/** `GET /api/agents/{id}/memory/tools`: recent tool calls and figures per tool. */
export const ToolHistory = z.object({
  calls: z.array(ToolHistoryEntry),
  tools: z.array(z.object({
    tool: z.string(),
    calls: z.number().int(),
    failures: z.number().int(),
    avg_duration_ms: z.number().nullable(),
    last_error: z.string().nullable(),
  })),
  /** Model calls and their cost over the same period, from the usage rows. */
  llm_calls: z.number().int(),
  llm_cost_usd: z.number(),
});
/** Tool history. */
export type ToolHistory = z.infer<typeof ToolHistory>;

/** Query of the tool history. */
export const ToolHistoryQuery = z.strictObject({
  tool: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, "must be a tool name").optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
/** Tool history options. */
export type ToolHistoryQuery = z.input<typeof ToolHistoryQuery>;

/** `{deleted: …}` answers of DELETE routes of memory. */
export const MemoryDeleted = z.object({ deleted: z.boolean() });
/** A delete result. */
export type MemoryDeleted = z.infer<typeof MemoryDeleted>;

/** Query of `GET /api/agents/{id}/memory/kv`: entries containing every word of `q`, newest first. */
export const KvListQuery = z.strictObject({
  q: z.string().trim().min(1).max(500).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
/** Key-value listing options. */
export type KvListQuery = z.input<typeof KvListQuery>;
