import assert from "node:assert/strict";
import { withKernel } from "../fixtures.ts";
import { memoryAgent, startEmbeddings, withEmbeddingKernel } from "./memory_fixtures.ts";
import type { MemoryHit } from "../../../kernel/types.ts";

const QUERY = "feline companion";
const VECTORS: Record<string, number[]> = {
  [QUERY]: [1, 0, 0],
  // Found by both: the query's words, and a close vector.
  "A feline companion sleeps a lot": [0.8, 0, 0.2],
  // Found only by vector: no word of the query, the closest vector.
  "My cat is called Tom": [0.9, 0.1, 0],
  // Found only by BM25: one word of the query, an orthogonal vector.
  "Feline vaccines are due in May": [0, 0, 1],
  // Found by neither.
  "The weather is sunny": [0, 1, 0],
};

function factTexts(hits: MemoryHit[]): string[] {
  return hits.flatMap((h) => (h.kind === "fact" ? [h.fact.text] : []));
}

Deno.test("hybrid recall merges BM25-only and vector-only facts in reciprocal-rank-fusion order", async () => {
  const fake = startEmbeddings(VECTORS);
  try {
    await withEmbeddingKernel(fake.url, async (kernel) => {
      const agent = memoryAgent(kernel, "hybrid");
      for (const text of Object.keys(VECTORS).slice(1)) {
        await kernel.memory.remember(agent, { text }, { source: "test" });
      }
      const result = await kernel.memory.search(agent, { q: QUERY, kind: "facts" });
      assert.equal(result.mode, "hybrid");
      // RRF: both 1/62 + 1/61 > vector rank 1 (1/61) > BM25 rank 2 (1/62).
      assert.deepEqual(factTexts(result.hits), [
        "A feline companion sleeps a lot",
        "My cat is called Tom",
        "Feline vaccines are due in May",
      ]);
      const via = result.hits.map((h) => h.kind === "fact" ? h.via.toSorted() : []);
      assert.deepEqual(via, [["bm25", "vector"], ["vector"], ["bm25"]]);
      assert.ok(fake.inputs.includes(QUERY), "the query was embedded");
      const stats = kernel.memoryStats(agent.id);
      assert.equal(stats.recall, "hybrid");
      assert.equal(stats.agents[0]!.embedded, 4);
    });
  } finally {
    await fake.close();
  }
});

Deno.test("without an embedding model recall is BM25 only, ranked by BM25 on a fixed corpus", async () => {
  await withKernel(async (kernel) => {
    const agent = memoryAgent(kernel, "plain");
    for (const text of Object.keys(VECTORS).slice(1)) {
      await kernel.memory.remember(agent, { text }, { source: "test" });
    }
    await kernel.memory.remember(agent, { text: "companion planting: basil with tomatoes" }, {
      source: "test",
    });
    const result = await kernel.memory.search(agent, { q: QUERY, kind: "facts" });
    assert.equal(result.mode, "bm25");
    // Both words first; then one word each (equal IDF), the shorter text first.
    assert.deepEqual(factTexts(result.hits), [
      "A feline companion sleeps a lot",
      "companion planting: basil with tomatoes",
      "Feline vaccines are due in May",
    ]);
    assert.equal(kernel.memoryStats().recall, "bm25");
    assert.equal(kernel.memoryStats().embedding, null);
  });
});

Deno.test("an agent never recalls another agent's private facts, by words or by vector", async () => {
  const fake = startEmbeddings({
    "secret launch code": [1, 0, 0],
    "The secret launch code is 4242": [1, 0, 0],
    "The office opens at nine": [0.5, 0.5, 0],
    "launch": [1, 0, 0],
  });
  try {
    await withEmbeddingKernel(fake.url, async (kernel) => {
      const owner = memoryAgent(kernel, "owner");
      const other = memoryAgent(kernel, "other");
      const secret = await kernel.memory.remember(owner, {
        text: "The secret launch code is 4242",
      }, { source: "test" });
      await kernel.memory.remember(owner, { text: "The office opens at nine", scope: "shared" }, {
        source: "test",
      });
      const mine = await kernel.memory.search(owner, { q: "secret launch code" });
      assert.ok(factTexts(mine.hits).includes("The secret launch code is 4242"));
      for (const q of ["secret launch code", "launch", "office"]) {
        const theirs = await kernel.memory.search(other, { q });
        assert.ok(!factTexts(theirs.hits).some((t) => t.includes("4242")), q);
      }
      assert.deepEqual(factTexts((await kernel.memory.search(other, { q: "office" })).hits), [
        "The office opens at nine",
      ]);
      const slot = await kernel.memory.promptSlot(other, "secret launch code");
      assert.ok(slot === undefined || !slot.includes("4242"));
      assert.throws(() => kernel.memory.forget(other.id, secret.id), { code: "not_found" });
      assert.equal(kernel.memory.listFacts(other.id, {}).facts.length, 1);
    });
  } finally {
    await fake.close();
  }
});
