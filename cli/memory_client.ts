/**
 * The memory part of the CLI's client (`talon memory …`), in-process over a
 * kernel and over a running server's API; both return the same shapes.
 *
 * @module
 */
import type { Kernel } from "../kernel/mod.ts";
import {
  FactList,
  FactView,
  KvEntry,
  KvList,
  MemoryDeleted,
  MemorySearchResult,
  MemoryStats,
} from "../kernel/types.ts";
import type { z } from "zod";

/** What `talon memory` does. */
export interface MemoryClient {
  setKv(agent: string, key: string, text: string): Promise<KvEntry>;
  getKv(agent: string, key: string): Promise<KvEntry>;
  deleteKv(agent: string, key: string): Promise<void>;
  listKv(agent: string, limit: number): Promise<KvEntry[]>;
  listFacts(agent: string, limit: number): Promise<FactList>;
  remember(agent: string, body: { text: string; scope?: "agent" | "shared" }): Promise<FactView>;
  forget(agent: string, factId: string): Promise<void>;
  search(agent: string, query: { q: string; limit: number }): Promise<MemorySearchResult>;
  stats(agent?: string): Promise<MemoryStats>;
}

/** `talon memory` over an in-process kernel; `actor` is how the audit names the CLI. */
export function localMemoryClient(kernel: Kernel, actor: string): MemoryClient {
  const agentOf = (ref: string) => kernel.agents.get(ref);
  return {
    setKv: (agent, key, text) =>
      Promise.resolve(kernel.memory.setKv(agentOf(agent).id, key, { text }, { actor })),
    getKv: (agent, key) => Promise.resolve(kernel.memory.getKv(agentOf(agent).id, key)),
    deleteKv: (agent, key) =>
      Promise.resolve(kernel.memory.deleteKv(agentOf(agent).id, key, { actor })),
    listKv: (agent, limit) => Promise.resolve(kernel.memory.listKv(agentOf(agent).id, { limit })),
    listFacts: (agent, limit) =>
      Promise.resolve(kernel.memory.listFacts(agentOf(agent).id, { limit })),
    remember: (agent, body) =>
      kernel.memory.remember(agentOf(agent), body, { source: actor, actor }),
    forget: (agent, factId) =>
      Promise.resolve(kernel.memory.forget(agentOf(agent).id, factId, { actor })),
    search: (agent, query) => kernel.memory.search(agentOf(agent), query),
    stats: (agent) => Promise.resolve(kernel.memoryStats(agent)),
  };
}

/** How the HTTP client calls the API: method, path, body, and the schema of the answer. */
export type JsonCall = <S extends z.ZodType>(
  schema: S,
  method: string,
  path: string,
  body?: unknown,
) => Promise<z.infer<S>>;

/** `talon memory` over a running server's API. */
export function httpMemoryClient(call: JsonCall): MemoryClient {
  const base = (agent: string) => `/api/agents/${encodeURIComponent(agent)}/memory`;
  const kv = (agent: string, key: string) => `${base(agent)}/kv/${encodeURIComponent(key)}`;
  return {
    setKv: (agent, key, text) => call(KvEntry, "PUT", kv(agent, key), { text }),
    getKv: (agent, key) => call(KvEntry, "GET", kv(agent, key)),
    deleteKv: async (agent, key) => {
      await call(MemoryDeleted, "DELETE", kv(agent, key));
    },
    listKv: async (agent, limit) =>
      (await call(KvList, "GET", `${base(agent)}/kv?limit=${limit}`)).entries,
    listFacts: (agent, limit) => call(FactList, "GET", `${base(agent)}/facts?limit=${limit}`),
    remember: (agent, body) => call(FactView, "POST", `${base(agent)}/facts`, body),
    forget: async (agent, factId) => {
      await call(MemoryDeleted, "DELETE", `${base(agent)}/facts/${encodeURIComponent(factId)}`);
    },
    search: (agent, query) =>
      call(
        MemorySearchResult,
        "GET",
        `${base(agent)}/search?${new URLSearchParams({ q: query.q, limit: String(query.limit) })}`,
      ),
    stats: (agent) =>
      call(
        MemoryStats,
        "GET",
        agent === undefined ? "/api/memory/stats" : `${base(agent)}/stats`,
      ),
  };
}
