import assert from "node:assert/strict";
import { FakeClock } from "../../fakes/fake_clock.ts";
import { withKernel } from "../fixtures.ts";
import { memoryAgent } from "./memory_fixtures.ts";

const DAY = 86_400_000;
/**
 * The audit anchor timer runs on the same fake clock, hourly by default: a
 * weekly one keeps advancing by months to a few hundred timers (decay's
 * daily ones), not thousands.
 */
const WEEKLY_ANCHORS = `[audit]\nanchor_interval_ms = ${7 * DAY}\n`;

Deno.test("decay halves the confidence of facts unused for each 30 days, down to the floor; use restores it", async () => {
  const clock = new FakeClock("2026-01-01T00:00:00Z");
  await withKernel(async (kernel) => {
    const agent = memoryAgent(kernel, "decays");
    const old = await kernel.memory.remember(agent, { text: "old fact about llamas" }, {
      source: "test",
    });
    await clock.advance(20 * DAY);
    const fresh = await kernel.memory.remember(agent, { text: "fresh fact about alpacas" }, {
      source: "test",
    });
    // The kernel's daily decay pass runs on its clock: no call needed.
    await clock.advance(11 * DAY);
    const confidence = () =>
      Object.fromEntries(
        kernel.memory.listFacts(agent.id, {}).facts.map((f) => [f.id, f.confidence]),
      );
    assert.deepEqual(confidence(), { [old.id]: 0.5, [fresh.id]: 1 });
    // 120 more days: both are past four halvings (1/16 < 0.1), so both sit at the floor.
    await clock.advance(120 * DAY);
    assert.deepEqual(confidence(), { [old.id]: 0.1, [fresh.id]: 0.1 });
    kernel.memory.recallFacts(agent.id, "llamas", { limit: 5 });
    assert.equal(confidence()[old.id], 1);
    assert.equal(kernel.memory.decay(), 0);
  }, { boot: { clock }, config: WEEKLY_ANCHORS });
});

Deno.test("decay_days and decay_floor are settable", async () => {
  const clock = new FakeClock("2026-01-01T00:00:00Z");
  await withKernel(async (kernel) => {
    const agent = memoryAgent(kernel, "fast");
    await kernel.memory.remember(agent, { text: "a fact" }, { source: "test" });
    await clock.advance(50 * DAY);
    kernel.memory.decay();
    assert.equal(kernel.memory.listFacts(agent.id, {}).facts[0]!.confidence, 0.3);
  }, { boot: { clock }, config: `${WEEKLY_ANCHORS}[memory]\ndecay_days = 7\ndecay_floor = 0.3\n` });
});

Deno.test("past max_facts the least confident, oldest facts are evicted instead of refusing", async () => {
  const clock = new FakeClock("2026-01-01T00:00:00Z");
  await withKernel(async (kernel) => {
    const agent = memoryAgent(kernel, "full");
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) {
      const confidence = i === 3 ? 0.2 : 0.9;
      ids.push(
        (await kernel.memory.remember(agent, { text: `fact number ${i}`, confidence }, {
          source: "test",
        })).id,
      );
      await clock.advance(1000);
    }
    const kept = kernel.memory.listFacts(agent.id, {}).facts.map((f) => f.id).sort((a, b) => a - b);
    assert.equal(kept.length, 10);
    // Fact 3 (least confident), then fact 0 (oldest of the rest), were evicted.
    assert.deepEqual(kept, ids.filter((_, i) => i !== 3 && i !== 0));
    assert.equal(kernel.memoryStats(agent.id).agents[0]!.facts, 10);
  }, { boot: { clock }, config: "[memory]\nmax_facts = 10\n" });
});

Deno.test("a forgotten fact is gone from recall and listings, and evicted first", async () => {
  await withKernel(async (kernel) => {
    const agent = memoryAgent(kernel, "forgets");
    const a = await kernel.memory.remember(agent, { text: "zebras are striped" }, { source: "t" });
    kernel.memory.forget(agent.id, a.id);
    assert.equal(kernel.memory.recallFacts(agent.id, "zebras", { limit: 5 }).length, 0);
    assert.equal(kernel.memory.listFacts(agent.id, {}).facts.length, 0);
    assert.throws(() => kernel.memory.forget(agent.id, a.id), { code: "not_found" });
    assert.equal(kernel.memoryStats(agent.id).agents[0]!.forgotten, 1);
  });
});
