/**
 * `talon memory set|get|delete|list|remember|forget|search|stats`: an
 * agent's key-value entries and facts, hybrid search over both, and memory
 * figures (which say whether recall is hybrid or BM25 only).
 *
 * @module
 */
import type { FactView, KvEntry, MemorySearchResult, MemoryStats } from "../../kernel/types.ts";
import { withClient } from "../connect.ts";
import { json, table } from "../format.ts";
import { UsageError } from "../io.ts";
import type { Command, CommandContext } from "./command.ts";

const JSON_FLAG = { json: { type: "boolean", help: "print JSON" } } as const;

function clip(text: string, n = 70): string {
  const one = text.replace(/\s+/g, " ");
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

function limitOf(ctx: CommandContext, fallback: number): number {
  const raw = ctx.values.limit;
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== "string" || !/^\d+$/.test(raw) || n < 1 || n > 500) {
    throw new UsageError(`--limit must be an integer from 1 to 500, got "${raw}"`);
  }
  return n;
}

/** Facts as a table. */
export function renderFacts(facts: FactView[]): string {
  if (facts.length === 0) return "No facts.\n";
  return table(
    ["ID", "SCOPE", "CONFIDENCE", "ACCESSED", "TEXT"],
    facts.map((f) => [
      String(f.id),
      f.scope,
      f.confidence.toFixed(2),
      f.accessed_at.slice(0, 10),
      clip(f.text),
    ]),
  );
}

/** Key-value entries as a table. */
export function renderKv(entries: KvEntry[]): string {
  if (entries.length === 0) return "No key-value entries.\n";
  return table(
    ["KEY", "UPDATED", "TEXT"],
    entries.map((e) => [e.key, e.updated_at.slice(0, 19), clip(e.text)]),
  );
}

/** Search hits, best first. */
export function renderSearch(result: MemorySearchResult): string {
  const lines = [`Recall: ${result.mode === "hybrid" ? "hybrid (BM25 + vectors)" : "BM25 only"}`];
  if (result.hits.length === 0) return `${lines[0]}\nNothing found.\n`;
  const rows = result.hits.map((h) =>
    h.kind === "fact"
      ? [`fact ${h.fact.id}`, h.score.toFixed(4), h.via.join("+"), clip(h.fact.text)]
      : [`kv ${h.entry.key}`, "-", "words", clip(h.entry.text)]
  );
  return `${lines[0]}\n${table(["HIT", "SCORE", "FOUND BY", "TEXT"], rows)}`;
}

/** Memory figures, with what recall uses. */
export function renderStats(stats: MemoryStats): string {
  const recall = stats.embedding === null
    ? "Recall: BM25 only (no [memory] embedding model is configured)."
    : `Recall: hybrid (BM25 + vectors from ${stats.embedding}).`;
  const cap = `Cap per agent: ${stats.max_facts} facts, ${
    Math.round(stats.max_bytes / 1_048_576)
  } MB; decay after ${stats.decay_days} days unused, down to ${stats.decay_floor}.`;
  if (stats.agents.length === 0) return `${recall}\n${cap}\nNo agent keeps memory yet.\n`;
  const rows = stats.agents.map((a) => [
    a.agent_name,
    String(a.facts),
    String(a.embedded),
    String(a.shared),
    String(a.forgotten),
    `${(a.bytes / 1024).toFixed(1)} KB`,
    String(a.kv_entries),
    `${a.entities}/${a.relations}`,
  ]);
  return `${recall}\n${cap}\n${
    table(["AGENT", "FACTS", "EMBEDDED", "SHARED", "FORGOTTEN", "SIZE", "KV", "GRAPH"], rows)
  }`;
}

/** Every `talon memory` command. */
export const memoryCommands: Command[] = [
  {
    words: ["memory", "set"],
    summary: "Store text under a key of an agent's key-value memory",
    args: ["agent", "key", "value"],
    options: JSON_FLAG,
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const [agent, key, value] = ctx.args as [string, string, string];
        const entry = await client.memory.setKv(agent, key, value);
        ctx.io.out(ctx.globals.json ? json(entry) : `Stored "${entry.key}".\n`);
        return 0;
      }),
  },
  {
    words: ["memory", "get"],
    summary: "Print the text stored under a key",
    args: ["agent", "key"],
    options: JSON_FLAG,
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const entry = await client.memory.getKv(ctx.args[0]!, ctx.args[1]!);
        ctx.io.out(ctx.globals.json ? json(entry) : `${entry.text}\n`);
        return 0;
      }),
  },
  {
    words: ["memory", "delete"],
    summary: "Delete a key-value entry",
    args: ["agent", "key"],
    options: {},
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        await client.memory.deleteKv(ctx.args[0]!, ctx.args[1]!);
        ctx.io.out(`Deleted "${ctx.args[1]}".\n`);
        return 0;
      }),
  },
  {
    words: ["memory", "list"],
    summary: "List an agent's facts and key-value entries, newest first",
    args: ["agent"],
    options: {
      ...JSON_FLAG,
      limit: { type: "string", value: "<n>", help: "at most n of each (default 50)" },
    },
    run: (ctx) => {
      const limit = limitOf(ctx, 50);
      return withClient(ctx.globals, async (client) => {
        const facts = await client.memory.listFacts(ctx.args[0]!, limit);
        const entries = await client.memory.listKv(ctx.args[0]!, limit);
        ctx.io.out(
          ctx.globals.json
            ? json({ facts: facts.facts, entries })
            : `Facts\n${renderFacts(facts.facts)}\nKey-value entries\n${renderKv(entries)}`,
        );
        return 0;
      });
    },
  },
  {
    words: ["memory", "remember"],
    summary: "Add a fact to an agent's memory",
    args: ["agent", "text"],
    options: {
      ...JSON_FLAG,
      shared: { type: "boolean", help: "share the fact with every agent" },
    },
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const fact = await client.memory.remember(ctx.args[0]!, {
          text: ctx.args[1]!,
          scope: ctx.values.shared === true ? "shared" : "agent",
        });
        ctx.io.out(ctx.globals.json ? json(fact) : `Remembered fact ${fact.id}.\n`);
        return 0;
      }),
  },
  {
    words: ["memory", "forget"],
    summary: "Forget one of an agent's facts",
    args: ["agent", "fact-id"],
    options: {},
    run: (ctx) => {
      if (!/^[1-9]\d*$/.test(ctx.args[1]!)) {
        throw new UsageError(`fact-id must be a positive integer, got "${ctx.args[1]}"`);
      }
      return withClient(ctx.globals, async (client) => {
        await client.memory.forget(ctx.args[0]!, ctx.args[1]!);
        ctx.io.out(`Forgot fact ${ctx.args[1]}.\n`);
        return 0;
      });
    },
  },
  {
    words: ["memory", "search"],
    summary: "Search everything an agent remembers (hybrid over facts, key-value entries too)",
    args: ["agent", "query"],
    options: {
      ...JSON_FLAG,
      limit: { type: "string", value: "<n>", help: "at most n hits of each kind (default 10)" },
    },
    run: (ctx) => {
      const limit = limitOf(ctx, 10);
      if (ctx.args[1]!.trim() === "") throw new UsageError("the query must not be empty");
      return withClient(ctx.globals, async (client) => {
        const result = await client.memory.search(ctx.args[0]!, { q: ctx.args[1]!, limit });
        ctx.io.out(ctx.globals.json ? json(result) : renderSearch(result));
        return 0;
      });
    },
  },
  {
    words: ["memory", "stats"],
    summary: "Memory figures of one agent or all, and whether recall is hybrid or BM25 only",
    args: ["agent?"],
    options: JSON_FLAG,
    run: (ctx) =>
      withClient(ctx.globals, async (client) => {
        const stats = await client.memory.stats(ctx.args[0]);
        ctx.io.out(ctx.globals.json ? json(stats) : renderStats(stats));
        return 0;
      }),
  },
];
