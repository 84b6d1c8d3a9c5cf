/**
 * Memory recall and insert benchmarks: facts with 384-dimension float32
 * vectors, searched by BM25, by vector (sign-code prefilter + exact cosine
 * re-rank) and hybrid (both, fused). 10,000 facts by default (`deno task
 * bench`); `deno task bench:memory` runs it at 100,000 (TALON_BENCH_FACTS).
 */
import { bootKernel, createLogger } from "../kernel/mod.ts";
import { MemoryService, signCode, vectorBlob } from "../kernel/memory/mod.ts";
import { vectorCandidates } from "../kernel/memory/recall.ts";
import * as store from "../kernel/store/mod.ts";
import type { AgentView } from "../kernel/types.ts";

const FACTS = Number(Deno.env.get("TALON_BENCH_FACTS") ?? 10_000);
const DIMS = 384;
const MODEL = "bench-384";

let seed = 42;
function random(): number {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 4294967296;
}
const VOCAB = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}x`);
function text(): string {
  return Array.from({ length: 12 }, () => VOCAB[Math.floor(random() * VOCAB.length)]).join(" ");
}
function vector(): Float32Array {
  const v = new Float32Array(DIMS);
  for (let i = 0; i < DIMS; i++) v[i] = random() - 0.5;
  return v;
}

const dir = await Deno.makeTempDir();
const kernel = await bootKernel({
  dataDir: dir,
  env: () => undefined,
  log: createLogger("error", { sink: () => {} }),
  ephemeral: true,
});
const agent = kernel.agents.spawn({ name: "bench", capabilities: ["memory_read", "memory_write"] });
const at = new Date().toISOString();
store.transaction(kernel.db, () => {
  for (let i = 0; i < FACTS; i++) {
    const v = vector();
    const id = store.insertFact(kernel.db, {
      agentId: agent.id,
      scope: "agent",
      text: text(),
      source: "bench",
      confidence: 1,
      at,
      embedding: { vector: vectorBlob(v), dims: DIMS, model: MODEL },
    });
    store.appendCode(kernel.db, {
      space: agent.id,
      model: MODEL,
      dims: DIMS,
      factId: id,
      code: signCode(v),
    });
  }
});
const embedder = {
  spec: `bench/${MODEL}`,
  model: MODEL,
  embed: (_agent: AgentView, texts: string[]) => Promise.resolve(texts.map(() => vector())),
};
const memory = new MemoryService({
  db: kernel.db,
  config: kernel.config.memory,
  clock: kernel.clock,
  log: kernel.log,
  audit: kernel.audit,
  embedder,
});
const queries = Array.from(
  { length: 64 },
  () => ({ text: text().split(" ", 3).join(" "), v: vector() }),
);
let q = 0;
const label = `${FACTS.toLocaleString("en-US")} facts`;

Deno.bench(`recall ${label}: BM25 top 10`, { group: "recall" }, () => {
  const { text } = queries[q++ % queries.length]!;
  memory.recallFacts(agent.id, text, { limit: 10, touch: false });
});

Deno.bench(`recall ${label}: vector top 10 (384 dims)`, { group: "recall" }, () => {
  const { v } = queries[q++ % queries.length]!;
  vectorCandidates(kernel.db, agent.id, { vector: v, model: MODEL, limit: 10 });
});

Deno.bench(`recall ${label}: hybrid top 10 (BM25 + vector, RRF)`, { group: "recall" }, () => {
  const { text, v } = queries[q++ % queries.length]!;
  memory.recallFacts(agent.id, text, { vector: v, limit: 10, touch: false });
});

Deno.bench(`insert one fact with a 384-dim vector (into ${label})`, { n: 500 }, async () => {
  await memory.remember(agent, { text: text() }, { source: "bench" });
});

// Bench files have no teardown hook; the temp dir goes with the OS's temp cleanup.
globalThis.addEventListener("unload", () => {
  kernel.db.close();
  try {
    Deno.removeSync(dir, { recursive: true });
  } catch {
    // already gone
  }
});
