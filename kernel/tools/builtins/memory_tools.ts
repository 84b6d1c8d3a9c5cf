/**
 * Agent memory tools: `memory_store` (needs `memory_write`) keeps text under
 * a key, `memory_remember` (needs `memory_write`) keeps a fact,
 * `memory_recall` (needs `memory_read`) finds key-value entries by key or
 * words and facts by hybrid recall, `memory_tool_history` (needs
 * `memory_read`) reads the agent's own tool calls. Each agent sees only its
 * own memory and shared facts. They join an agent's default tool set when
 * it holds their capability.
 *
 * @module
 */
import { z } from "zod";
import { defineTool, type Tool } from "../define.ts";
import type { AgentMemory } from "../ports.ts";

/** Built-in tools given by default to agents that hold their capabilities. */
export const MEMORY_TOOL_NAMES: readonly string[] = [
  "memory_recall",
  "memory_store",
  "memory_remember",
  "memory_tool_history",
  "knowledge_add",
  "knowledge_relate",
  "knowledge_query",
];

/** Creates the memory tools over `memory`. */
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
  const remember = defineTool({
    name: "memory_remember",
    description:
      "Remembers a fact (one self-contained statement) for later turns and sessions; relevant facts are recalled into your prompt. Use scope shared only for facts every agent may see.",
    input: z.strictObject({
      text: z.string().min(1).max(10_000).describe("the fact, e.g. 'The user's name is Ada.'"),
      scope: z.enum(["agent", "shared"]).default("agent"),
      confidence: z.number().min(0).max(1).default(1).describe("how sure you are, 0 to 1"),
    }),
    capabilities: ["memory_write"],
    risk: "low",
    handler: async (args, ctx) => {
      const fact = await memory.remember(ctx.agent, args, {
        source: `agent:${ctx.agent.id}`,
        turnId: ctx.turnId,
        signal: ctx.signal,
      });
      return `remembered fact ${fact.id} (${fact.scope})`;
    },
  });
  const recall = defineTool({
    name: "memory_recall",
    description:
      "Recalls memory. Key-value entries: by exact key, or those whose key or text contains every word of a query. Facts: the best matches for a query (full-text and meaning), or the newest. kind picks facts, kv or all (default).",
    input: z.strictObject({
      key: z.string().min(1).max(200).optional().describe("exact key to read"),
      query: z.string().min(1).max(500).optional().describe("words to look for"),
      kind: z.enum(["facts", "kv", "all"]).default("all"),
      limit: z.number().int().min(1).max(100).default(10),
    }),
    capabilities: ["memory_read"],
    risk: "low",
    handler: async ({ key, query, kind, limit }, ctx) => {
      const out: Record<string, unknown> = {};
      if (kind !== "facts") {
        out.entries = memory.recall(ctx.agent.id, { key, query, limit })
          .map(({ key, text, updated_at }) => ({ key, text, updated_at }));
      }
      if (kind !== "kv" && key === undefined) {
        const found = await memory.recallFacts(ctx.agent, {
          query,
          limit,
          turnId: ctx.turnId,
          signal: ctx.signal,
        });
        out.facts = found.facts;
      }
      return JSON.stringify(out);
    },
  });
  const history = defineTool({
    name: "memory_tool_history",
    description:
      "Your own recent tool calls (tool, ok, error code, duration) and figures per tool, to learn what worked.",
    input: z.strictObject({
      tool: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/).optional().describe("only this tool"),
      limit: z.number().int().min(1).max(200).default(20),
    }),
    capabilities: ["memory_read"],
    risk: "low",
    handler: (args, ctx) => JSON.stringify(memory.toolHistory(ctx.agent.id, args)),
  });
  return [store, remember, recall, history, ...knowledgeTools(memory)];
}

const Properties = z.record(z.string().max(100), z.unknown()).default({});

function knowledgeTools(memory: AgentMemory): Tool[] {
  return [
    defineTool({
      name: "knowledge_add",
      description:
        "Adds an entity (a person, place, project, …) to your knowledge graph, or updates the one with that name (properties merge).",
      input: z.strictObject({
        name: z.string().min(1).max(200),
        type: z.string().min(1).max(64).describe("e.g. person, company, project"),
        properties: Properties,
        scope: z.enum(["agent", "shared"]).default("agent"),
      }),
      capabilities: ["memory_write"],
      risk: "low",
      handler: (args, ctx) => JSON.stringify(memory.knowledge.add(ctx.agent.id, args)),
    }),
    defineTool({
      name: "knowledge_relate",
      description:
        "Relates two entities of your knowledge graph by name, e.g. from Ada, type works_at, to Acme.",
      input: z.strictObject({
        from: z.string().min(1).max(200),
        type: z.string().min(1).max(64),
        to: z.string().min(1).max(200),
        properties: Properties,
        scope: z.enum(["agent", "shared"]).default("agent"),
      }),
      capabilities: ["memory_write"],
      risk: "low",
      handler: (args, ctx) => JSON.stringify(memory.knowledge.relate(ctx.agent.id, args)),
    }),
    defineTool({
      name: "knowledge_query",
      description:
        "Queries your knowledge graph: the entities within depth hops of one entity, or with `to` the paths between two.",
      input: z.strictObject({
        entity: z.string().min(1).max(200),
        depth: z.number().int().min(1).max(4).default(1),
        to: z.string().min(1).max(200).optional(),
      }),
      capabilities: ["memory_read"],
      risk: "low",
      handler: (args, ctx) => JSON.stringify(memory.knowledge.query(ctx.agent.id, args)),
    }),
  ];
}
