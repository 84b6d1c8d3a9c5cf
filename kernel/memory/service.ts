/**
 * `kernel.memory`: what an agent remembers — the key-value store, facts with
 * hybrid recall, the prompt's memory slot, retention (decay and the
 * per-agent cap) — for tools, routes and the CLI alike. Every input is
 * validated here; a refusal writes nothing.
 *
 * @module
 */
import type { Clock } from "../clock.ts";
import { TalonError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { AuditChain } from "../security/mod.ts";
import * as store from "../store/mod.ts";
import {
  type AgentMemoryStats,
  type AgentView,
  type FactList,
  FactListQuery,
  type FactView,
  issueFields,
  type KvEntry,
  KvKey,
  KvPutBody,
  type MemoryConfig,
  MemorySearchQuery,
  type MemorySearchResult,
  type MemoryStats,
  RememberBody,
} from "../types.ts";
import type { z } from "zod";
import type { Embedder } from "./embedder.ts";
import { bm25Candidates, CANDIDATES, fuse, type Fused, vectorCandidates } from "./recall.ts";
import { signCode, vectorBlob } from "./vectors.ts";

const DAY_MS = 86_400_000;

/** Parses `input` with `schema` or throws `invalid_input` naming the fields. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const fields = issueFields(parsed.error);
    const first = parsed.error.issues[0];
    const path = first?.path.join(".");
    throw new TalonError(
      "invalid_input",
      `invalid ${what}: ${path ? `${path} ` : ""}${first?.message ?? "is not valid"}`,
      { fields, cause: parsed.error },
    );
  }
  return parsed.data;
}

/** Who makes a write when a person does (`token:<id>`, `local:<id>`); tools leave it out. */
export interface PersonWrite {
  actor?: string;
}

/** What {@link MemoryService} needs. */
export interface MemoryServiceDeps {
  db: store.Database;
  config: MemoryConfig;
  clock: Clock;
  log: Logger;
  /** Where people's writes (API, CLI, dashboard) are recorded; tools are audited as tool calls. */
  audit: Pick<AuditChain, "append">;
  /** Embeddings, when `[memory] embedding` is set. */
  embedder?: Embedder;
}

/** Agent memory: key-value entries, facts, recall and retention. */
export class MemoryService {
  readonly #db: store.Database;
  readonly #config: MemoryConfig;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #embedder: Embedder | undefined;
  readonly #audit: Pick<AuditChain, "append">;

  constructor(deps: MemoryServiceDeps) {
    this.#audit = deps.audit;
    this.#db = deps.db;
    this.#config = deps.config;
    this.#clock = deps.clock;
    this.#log = deps.log;
    this.#embedder = deps.embedder;
  }

  /** `hybrid` with an embedding model, `bm25` without. */
  get recallMode(): "hybrid" | "bm25" {
    return this.#embedder ? "hybrid" : "bm25";
  }

  #now(): string {
    return new Date(this.#clock.now()).toISOString();
  }

  // ---- key-value store -------------------------------------------------

  /**
   * Stores `text` under `key` (refused past 10,000 entries). With an `actor`
   * (a person, through the API or CLI) the write is audited as `memory.set`.
   */
  setKv(agentId: string, key: string, body: unknown, options: PersonWrite = {}): KvEntry {
    const k = parseInput(KvKey, key, "key");
    const { text } = parseInput(KvPutBody, body, "entry");
    try {
      store.transaction(this.#db, () => {
        store.putMemory(this.#db, { agentId, key: k, text });
        this.#audited(options, "memory.set", agentId, { key: k, bytes: text.length });
      });
    } catch (cause) {
      if (cause instanceof RangeError) {
        throw new TalonError("invalid_input", cause.message, { cause });
      }
      throw cause;
    }
    return store.getMemory(this.#db, agentId, k)!;
  }

  /** The entry under `key`; `not_found` otherwise. */
  getKv(agentId: string, key: string): KvEntry {
    const entry = store.getMemory(this.#db, agentId, parseInput(KvKey, key, "key"));
    if (!entry) throw new TalonError("not_found", `no memory entry has the key "${key}"`);
    return entry;
  }

  /** Deletes the entry under `key`; `not_found` when there is none. Audited with an `actor`. */
  deleteKv(agentId: string, key: string, options: PersonWrite = {}): void {
    const k = parseInput(KvKey, key, "key");
    store.transaction(this.#db, () => {
      if (!store.deleteMemory(this.#db, agentId, k)) {
        throw new TalonError("not_found", `no memory entry has the key "${key}"`);
      }
      this.#audited(options, "memory.delete", agentId, { key: k });
    });
  }

  /** Appends the audit entry of a person's write, inside the caller's transaction. */
  #audited(
    options: PersonWrite,
    action: "memory.set" | "memory.delete" | "memory.remember" | "memory.forget",
    agentId: string,
    detail: Record<string, unknown>,
  ): void {
    if (options.actor === undefined) return;
    this.#audit.append({ action, actor: options.actor, agent_id: agentId, detail });
  }

  /** Entries, newest first (those matching every word of `query` when given). */
  listKv(agentId: string, options: { query?: string; limit: number }): KvEntry[] {
    return store.searchMemories(this.#db, agentId, options);
  }

  // ---- facts -----------------------------------------------------------

  /**
   * Remembers a fact (embedded when an embedding model is configured; a
   * failed embedding leaves it to BM25), evicting the oldest, least
   * confident facts when the agent is past its cap.
   */
  async remember(
    agent: AgentView,
    body: unknown,
    options: {
      source: string;
      turnId?: string | null;
      signal?: AbortSignal;
      /** A person writing (API, CLI): the fact is audited as `memory.remember`. */
      actor?: string;
    },
  ): Promise<FactView> {
    const input = parseInput(RememberBody, body, "fact");
    let embedding: { vector: Uint8Array; dims: number; model: string } | undefined;
    let code: Uint32Array | undefined;
    if (this.#embedder) {
      try {
        const [vector] = await this.#embedder.embed(agent, [input.text], options);
        embedding = {
          vector: vectorBlob(vector!),
          dims: vector!.length,
          model: this.#embedder.model,
        };
        code = signCode(vector!);
      } catch (error) {
        this.#log.warn("a fact was stored without its embedding", { agent_id: agent.id, error });
      }
    }
    const id = store.transaction(this.#db, () => {
      const id = store.insertFact(this.#db, {
        agentId: agent.id,
        scope: input.scope,
        text: input.text,
        source: options.source,
        confidence: input.confidence,
        at: this.#now(),
        embedding,
      });
      if (embedding && code) {
        store.appendCode(this.#db, {
          space: input.scope === "shared" ? store.SHARED_SPACE : agent.id,
          model: embedding.model,
          dims: embedding.dims,
          factId: id,
          code,
        });
      }
      this.#audited(options, "memory.remember", agent.id, {
        fact_id: id,
        scope: input.scope,
        bytes: input.text.length,
      });
      return id;
    });
    this.enforceCap(agent.id);
    return store.getVisibleFact(this.#db, agent.id, id)!;
  }

  /** Forgets a fact the agent wrote; `not_found` otherwise. Audited with an `actor`. */
  forget(agentId: string, factId: unknown, options: PersonWrite = {}): void {
    const id = Number(factId);
    if (!Number.isSafeInteger(id) || id <= 0) {
      throw new TalonError("invalid_input", `fact id must be a positive integer, got "${factId}"`, {
        fields: { id: "must be a positive integer" },
      });
    }
    store.transaction(this.#db, () => {
      if (!store.forgetFact(this.#db, agentId, id, this.#now())) {
        throw new TalonError(
          "not_found",
          `agent has no fact ${id} of its own (forgotten already, or another agent's)`,
        );
      }
      this.#audited(options, "memory.forget", agentId, { fact_id: id });
    });
  }

  /** Facts the agent sees, newest first. */
  listFacts(agentId: string, query: unknown): FactList {
    const q = parseInput(FactListQuery, query, "query");
    const facts = store.listVisibleFacts(this.#db, agentId, q);
    return {
      facts,
      next_before: facts.length === q.limit ? facts.at(-1)!.id : null,
    };
  }

  /** Embeds a query for `agent`; undefined without a model or when embedding failed. */
  async #queryVector(
    agent: AgentView,
    text: string,
    options: { turnId?: string | null; signal?: AbortSignal },
  ): Promise<Float32Array | undefined> {
    if (!this.#embedder) return undefined;
    try {
      return (await this.#embedder.embed(agent, [text], options))[0];
    } catch (error) {
      this.#log.warn("recall fell back to BM25: the query could not be embedded", {
        agent_id: agent.id,
        error,
      });
      return undefined;
    }
  }

  /** Facts for `text`, best first, with hybrid ranking when a query vector is given. */
  recallFacts(
    agentId: string,
    text: string,
    options: { vector?: Float32Array; limit: number; touch?: boolean },
  ): Fused[] {
    const vector = options.vector && this.#embedder
      ? vectorCandidates(this.#db, agentId, {
        vector: options.vector,
        model: this.#embedder.model,
        limit: CANDIDATES,
      })
      : [];
    const fused = fuse(this.#db, agentId, {
      bm25: bm25Candidates(this.#db, agentId, text),
      vector,
      now: this.#clock.now(),
      halfLifeMs: this.#config.decay_days * DAY_MS,
      limit: options.limit,
    });
    if (options.touch !== false) {
      store.touchFacts(this.#db, fused.map((f) => f.fact.id), this.#now());
    }
    return fused;
  }

  /** Hybrid search over facts and key-value entries (`kind` picks which). */
  async search(
    agent: AgentView,
    query: unknown,
    options: { turnId?: string | null; signal?: AbortSignal } = {},
  ): Promise<MemorySearchResult> {
    const q = parseInput(MemorySearchQuery, query, "search");
    const hits: MemorySearchResult["hits"] = [];
    let mode: "hybrid" | "bm25" = "bm25";
    if (q.kind !== "kv") {
      const vector = await this.#queryVector(agent, q.q, options);
      if (vector) mode = "hybrid";
      for (const f of this.recallFacts(agent.id, q.q, { vector, limit: q.limit })) {
        hits.push({ kind: "fact", fact: f.fact, score: f.score, via: f.via });
      }
    }
    if (q.kind !== "facts") {
      const words = new Set(q.q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
      const seen = new Set<string>();
      // Any word matches (like BM25), exact-phrase matches first.
      for (const query of [q.q, ...words]) {
        for (const entry of store.searchMemories(this.#db, agent.id, { query, limit: q.limit })) {
          if (seen.has(entry.key) || seen.size >= q.limit) continue;
          seen.add(entry.key);
          hits.push({ kind: "kv", entry });
        }
      }
    }
    return { mode, hits };
  }

  /**
   * The prompt's memory slot for `text`: the best facts, as many as fit
   * `[memory] prompt_tokens`; undefined when none match or the slot is off.
   */
  async promptSlot(
    agent: AgentView,
    text: string,
    options: { turnId?: string | null; signal?: AbortSignal; vector?: Float32Array } = {},
  ): Promise<string | undefined> {
    if (this.#config.prompt_facts === 0 || text.trim() === "") return undefined;
    const vector = options.vector ?? await this.#queryVector(agent, text, options);
    const facts = this.recallFacts(agent.id, text, {
      vector,
      limit: this.#config.prompt_facts,
      touch: false,
    });
    const budget = this.#config.prompt_tokens * 4;
    const header = "Things you remember that may be relevant (facts from your memory):";
    const lines: string[] = [];
    let used = header.length;
    for (const f of facts) {
      const line = `- [fact ${f.fact.id}] ${f.fact.text}`;
      if (used + line.length + 1 > budget) continue;
      lines.push(line);
      used += line.length + 1;
    }
    if (lines.length === 0) return undefined;
    store.touchFacts(this.#db, facts.map((f) => f.fact.id), this.#now());
    return `${header}\n${lines.join("\n")}`;
  }

  // ---- retention -------------------------------------------------------

  /** One decay pass over every agent's facts; returns how many were lowered. */
  decay(): number {
    const now = this.#clock.now();
    const windowMs = this.#config.decay_days * DAY_MS;
    return store.decayFacts(this.#db, {
      cutoff: new Date(now - windowMs).toISOString(),
      now,
      windowMs,
      floor: this.#config.decay_floor,
    });
  }

  /** Evicts facts of `agentId` past `[memory] max_facts` / `max_bytes`; returns how many. */
  enforceCap(agentId: string): number {
    let evicted = 0;
    for (;;) {
      const totals = store.factTotals(this.#db, agentId);
      const overCount = totals.count - this.#config.max_facts;
      const overBytes = totals.bytes - this.#config.max_bytes;
      if (overCount <= 0 && overBytes <= 0) return evicted;
      // Evict a little past the cap so that a full agent does not evict on every write.
      const slack = Math.max(1, Math.floor(this.#config.max_facts / 100));
      const n = Math.max(overCount > 0 ? overCount + slack - 1 : 0, overBytes > 0 ? slack : 0, 1);
      const ids = store.evictFacts(this.#db, agentId, n);
      if (ids.length === 0) return evicted;
      store.dropCodes(this.#db, agentId, ids);
      store.dropCodes(this.#db, store.SHARED_SPACE, ids);
      evicted += ids.length;
      this.#log.info("facts evicted past the memory cap", { agent_id: agentId, count: ids.length });
    }
  }

  // ---- stats -----------------------------------------------------------

  /** Figures of the given agents (every agent with memory when omitted). */
  stats(agents: AgentView[]): MemoryStats {
    const rows: AgentMemoryStats[] = agents.map((a) => ({
      agent_id: a.id,
      agent_name: a.name,
      ...store.factCounts(this.#db, a.id),
      kv_entries: store.countMemories(this.#db, a.id),
      ...store.knowledgeCounts(this.#db, a.id),
    }));
    return {
      embedding: this.#embedder?.spec ?? null,
      recall: this.recallMode,
      max_facts: this.#config.max_facts,
      max_bytes: this.#config.max_bytes,
      decay_days: this.#config.decay_days,
      decay_floor: this.#config.decay_floor,
      agents: rows,
    };
  }

  /** Ids of agents that keep any memory. */
  agentsWithMemory(): string[] {
    return store.agentsWithMemory(this.#db);
  }
}
