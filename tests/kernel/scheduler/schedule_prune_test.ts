import assert from "node:assert/strict";
import { runsOf, settled, withClockKernel } from "./schedule_fixtures.ts";

Deno.test("a 1 s schedule on a paused agent keeps only its newest [schedules] keep_runs runs, other schedules' runs untouched", async () => {
  await withClockKernel(async (kernel, clock) => {
    kernel.agents.spawn({ name: "bot" });
    kernel.agents.spawn({ name: "other" });
    const fast = kernel.schedules.create({ agent: "bot", every: "1s", message: "tick" });
    const slow = kernel.schedules.create({ agent: "other", every: "1m", message: "tock" });
    kernel.agents.pause("bot", { actor: "test" });
    kernel.agents.pause("other", { actor: "test" });
    for (let i = 0; i < 130; i++) await clock.advance(1000);
    const runs = await settled(kernel, fast.id);
    assert.equal(runs.length, 10);
    assert.ok(runs.every((r) => r.outcome === "skipped" && r.reason === "agent_paused"));
    const ids = runs.map((r) => r.id);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
    assert.equal(
      runs.at(-1)!.due_at,
      new Date(clock.now()).toISOString(),
    );
    assert.equal(runsOf(kernel, slow.id).length, 2, "two 1m firings, both kept");
    assert.ok(
      kernel.audit.list({ limit: 500, action: "schedule.skipped" }).entries.length >= 100,
      "the audit log keeps every skip",
    );
  }, { config: "[schedules]\nkeep_runs = 10\n" });
});

Deno.test("[schedules] keep_runs below 10 is a config error naming the key", async () => {
  await assert.rejects(
    withClockKernel(() => Promise.resolve(), { config: "[schedules]\nkeep_runs = 1\n" }),
    (error: Error & { fields?: Record<string, string> }) => {
      assert.match(error.message, /schedules\.keep_runs/);
      return true;
    },
  );
});
