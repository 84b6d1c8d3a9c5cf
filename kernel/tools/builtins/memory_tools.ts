/**
 * Agent memory tools: `memory_store` (needs `memory_write`) keeps text under
 * a key, `memory_recall` (needs `memory_read`) finds it again by key or by
 * words. Each agent sees only its own memory. Both join an agent's default
 * tool set when it holds their capability.
 *
 * @module
 */
import { z } from "zod";
import { defineTool, type Tool } from "../define.ts";
import type { AgentMemory } from "../ports.ts";

/** Built-in tools given by default to agents that hold their capabilities. */
export const MEMORY_TOOL_NAMES: readonly string[] = ["memory_recall", "memory_store"];

/** Creates `memory_store` and `memory_recall` over `memory`. */
export function memoryTools(memory: AgentMemory): Tool[] {
  const store = defineTool({
    name: "memory_store",
    description:
      "Remembers text under a key (replacing what the key held) so later turns can recall it.",
    input: z.strictObject({
      key: z.string().min(1).max(200).describe("a short name, e.g. user.preferred_language"),
      text: z.string().min(1).max(100_000).describe("what to remember"),
    }),
    capabilities: ["memory_write"],
    risk: "low",
    handler: ({ key, text }, ctx) => {
      const { created } = memory.store(ctx.agent.id, key, text);
      return `${created ? "remembered" : "updated"} "${key}"`;
    },
  });
  const recall = defineTool({
    name: "memory_recall",
    description:
      "Recalls remembered text: by exact key, or the entries whose key or text contains every word of a query (newest first); with neither, the newest entries.",
    input: z.strictObject({
      key: z.string().min(1).max(200).optional().describe("exact key to read"),
      query: z.string().min(1).max(500).optional().describe("words to look for"),
      limit: z.number().int().min(1).max(100).default(10),
    }),
    capabilities: ["memory_read"],
    risk: "low",
    handler: ({ key, query, limit }, ctx) => {
      const entries = memory.recall(ctx.agent.id, { key, query, limit });
      return JSON.stringify({
        entries: entries.map(({ key, text, updated_at }) => ({ key, text, updated_at })),
      });
    },
  });
  return [store, recall];
}
