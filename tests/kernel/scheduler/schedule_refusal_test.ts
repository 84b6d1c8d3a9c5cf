import assert from "node:assert/strict";
import { eventsOf } from "../fixtures.ts";
import {
  holdTools,
  runsOf,
  settled,
  waitFor,
  withClockKernel,
  writeHoldScript,
} from "./schedule_fixtures.ts";

Deno.test("paused and killed agents' firings are recorded skips with a reason", async () => {
  await withClockKernel(async (kernel, clock) => {
    kernel.agents.spawn({ name: "bot" });
    const s = kernel.schedules.create({ agent: "bot", every: "1m", message: "tick" });
    kernel.agents.pause("bot", { actor: "test" });
    await clock.advance(60_000);
    kernel.agents.kill("bot");
    await clock.advance(60_000);
    const runs = await settled(kernel, s.id);
    assert.deepEqual(runs.map((r) => [r.outcome, r.reason, r.turn_id]), [
      ["skipped", "agent_paused", null],
      ["skipped", "agent_killed", null],
    ]);
    assert.match(runs[0]!.message!, /"bot" is paused/);
    const skips = kernel.audit.list({ limit: 10, action: "schedule.skipped" }).entries;
    assert.equal(skips.length, 2);
    assert.equal(eventsOf(kernel, ["schedule.skipped"]).length, 2);
  });
});

Deno.test("an over-budget agent's firing is skipped before anything is sent", async () => {
  await withClockKernel(async (kernel, clock) => {
    const agent = kernel.agents.spawn({ name: "bot" });
    kernel.budget.setAgentCaps(agent, { tokens_per_hour: 1 });
    const s = kernel.schedules.create({ agent: "bot", every: "1m", message: "tick" });
    // Use the whole hour's budget.
    kernel.budget.settle(
      kernel.budget.reserve(agent, { model: agent.model, promptTokens: 0, maxTokens: 0 }),
      {
        provider: "offline",
        model: agent.model,
        usage: { input_tokens: 1, output_tokens: 0 },
        turnId: null,
        latencyMs: 1,
      },
    );
    await clock.advance(60_000);
    const runs = await settled(kernel, s.id);
    assert.deepEqual(runs.map((r) => [r.outcome, r.reason]), [["skipped", "over_budget"]]);
    assert.match(runs[0]!.message!, /tokens_per_hour/);
    assert.equal(kernel.audit.list({ limit: 10, action: "agent.message" }).entries.length, 0);
  });
});

Deno.test("a full queue is a recorded skip", async () => {
  const hold = holdTools();
  await withClockKernel(async (kernel, clock, dir) => {
    const script = await writeHoldScript(dir);
    kernel.agents.spawn({ name: "bot", model: `script:${script}` });
    const s = kernel.schedules.create({ agent: "bot", every: "1m", message: "tick" });
    kernel.agents.send("bot", "first");
    kernel.agents.send("bot", "second");
    await clock.advance(60_000);
    const runs = await settled(kernel, s.id);
    assert.deepEqual(runs.map((r) => [r.outcome, r.reason]), [["skipped", "queue_full"]]);
    hold.release();
  }, { config: "[agents]\nqueue_limit = 2\n", boot: { tools: hold.executor } });
});

Deno.test("overlap = skip records a skipped run while the previous one is still going", async () => {
  const hold = holdTools();
  await withClockKernel(async (kernel, clock, dir) => {
    const script = await writeHoldScript(dir);
    kernel.agents.spawn({ name: "bot", model: `script:${script}` });
    const s = kernel.schedules.create({ agent: "bot", every: "1m", message: "tick" });
    await clock.advance(60_000);
    await waitFor(() => hold.held === 1, "the first run to hold");
    await clock.advance(60_000);
    assert.deepEqual(runsOf(kernel, s.id).map((r) => [r.outcome, r.reason]), [
      ["running", null],
      ["skipped", "overlap"],
    ]);
    hold.release();
    const runs = await settled(kernel, s.id);
    assert.deepEqual(runs.map((r) => r.outcome), ["ok", "skipped"]);
  }, { boot: { tools: hold.executor } });
});

Deno.test("overlap = queue waits for the previous run, then starts; a third firing is skipped", async () => {
  const hold = holdTools();
  await withClockKernel(async (kernel, clock, dir) => {
    const script = await writeHoldScript(dir);
    kernel.agents.spawn({ name: "bot", model: `script:${script}` });
    const s = kernel.schedules.create({
      agent: "bot",
      every: "1m",
      message: "tick",
      overlap: "queue",
    });
    await clock.advance(60_000);
    await waitFor(() => hold.held === 1, "the first run to hold");
    await clock.advance(60_000);
    await clock.advance(60_000);
    assert.deepEqual(runsOf(kernel, s.id).map((r) => [r.outcome, r.reason]), [
      ["running", null],
      ["queued", null],
      ["skipped", "overlap"],
    ]);
    hold.release();
    const runs = await settled(kernel, s.id);
    assert.deepEqual(runs.map((r) => r.outcome), ["ok", "ok", "skipped"]);
    assert.equal(runs[1]!.due_at, "2026-01-05T00:02:00.000Z");
  }, { boot: { tools: hold.executor } });
});

Deno.test("a run past max_runtime has its turn stopped with the partial answer kept: timeout", async () => {
  const hold = holdTools();
  await withClockKernel(async (kernel, clock, dir) => {
    const script = await writeHoldScript(dir);
    kernel.agents.spawn({ name: "bot", model: `script:${script}` });
    const s = kernel.schedules.create({
      agent: "bot",
      every: "1h",
      message: "tick",
      max_runtime: "2m",
    });
    assert.equal(s.max_runtime, "2m");
    await clock.advance(3_600_000);
    await waitFor(() => hold.held === 1, "the run to hold");
    await clock.advance(119_000);
    assert.equal(runsOf(kernel, s.id)[0]!.outcome, "running");
    await clock.advance(1_000);
    const runs = await settled(kernel, s.id);
    assert.equal(runs[0]!.outcome, "timeout");
    assert.equal(runs[0]!.reason, "max_runtime");
    const turn = kernel.agents.session("bot", { limit: 50 });
    assert.ok(turn.messages.length > 0, "the turn's messages are kept");
    const done = eventsOf(kernel, ["done"], { turnId: runs[0]!.turn_id! });
    assert.equal((done[0]!.data as { status: string }).status, "stopped");
  }, { boot: { tools: hold.executor } });
});

Deno.test("the default max_runtime is 10 minutes", async () => {
  await withClockKernel((kernel) => {
    kernel.agents.spawn({ name: "bot" });
    const s = kernel.schedules.create({ agent: "bot", every: "1h", message: "tick" });
    assert.equal(s.max_runtime, "10m");
    return Promise.resolve();
  });
});
