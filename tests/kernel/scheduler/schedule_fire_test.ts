import assert from "node:assert/strict";
import { eventsOf } from "../fixtures.ts";
import { runsOf, settled, withClockKernel } from "./schedule_fixtures.ts";

Deno.test("an every schedule fires on time, sends as schedule:<id> and records ok runs", async () => {
  await withClockKernel(async (kernel, clock) => {
    const agent = kernel.agents.spawn({ name: "bot" });
    const s = kernel.schedules.create({ agent: "bot", every: "30s", message: "tick" });
    assert.equal(s.next_run_at, "2026-01-05T00:00:30.000Z");
    await clock.advance(29_000);
    assert.equal(runsOf(kernel, s.id).length, 0);
    await clock.advance(1_000);
    await settled(kernel, s.id);
    await clock.advance(30_000);
    const runs = await settled(kernel, s.id);
    assert.deepEqual(runs.map((r) => [r.due_at, r.outcome, r.trigger]), [
      ["2026-01-05T00:00:30.000Z", "ok", "due"],
      ["2026-01-05T00:01:00.000Z", "ok", "due"],
    ]);
    assert.ok(runs.every((r) => r.turn_id !== null && r.started_at !== null && r.ended_at));
    const sent = kernel.audit.list({ limit: 50, action: "agent.message" }).entries;
    assert.ok(sent.length === 2 && sent.every((e) => e.actor === `schedule:${s.id}`));
    assert.equal(kernel.audit.list({ limit: 50, action: "schedule.fired" }).entries.length, 2);
    assert.equal(eventsOf(kernel, ["schedule.fired"], { agentId: agent.id }).length, 2);
    assert.equal(eventsOf(kernel, ["schedule.finished"], { agentId: agent.id }).length, 2);
    assert.equal(kernel.schedules.get(s.id).next_run_at, "2026-01-05T00:01:30.000Z");
    assert.equal(kernel.schedules.get(s.id).last_run?.outcome, "ok");
  });
});

Deno.test("a cron schedule in Europe/Berlin fires at 09:00 local across the DST change", async () => {
  await withClockKernel(async (kernel, clock) => {
    kernel.agents.spawn({ name: "bot" });
    const s = kernel.schedules.create({
      agent: "bot",
      cron: "0 9 * * *",
      tz: "Europe/Berlin",
      message: "morning",
    });
    assert.equal(s.next_run_at, "2026-03-28T08:00:00.000Z");
    await clock.advanceTo("2026-03-28T07:59:59Z");
    assert.equal(runsOf(kernel, s.id).length, 0);
    await clock.advanceTo("2026-03-28T08:00:00Z");
    await settled(kernel, s.id);
    // 2026-03-29: clocks go forward at 02:00, so 09:00 CEST is 07:00 UTC.
    await clock.advanceTo("2026-03-29T07:00:00Z");
    await settled(kernel, s.id);
    await clock.advanceTo("2026-03-29T08:30:00Z");
    const runs = await settled(kernel, s.id);
    assert.deepEqual(runs.map((r) => [r.due_at, r.outcome]), [
      ["2026-03-28T08:00:00.000Z", "ok"],
      ["2026-03-29T07:00:00.000Z", "ok"],
    ]);
  }, { start: "2026-03-27T12:00:00Z" });
});

Deno.test("a 6-field cron fires every second for a person's schedule", async () => {
  await withClockKernel(async (kernel, clock) => {
    kernel.agents.spawn({ name: "bot" });
    const s = kernel.schedules.create({ agent: "bot", cron: "*/2 * * * * *", message: "hi" });
    await clock.advance(2_000);
    await settled(kernel, s.id);
    await clock.advance(2_000);
    const runs = await settled(kernel, s.id);
    assert.deepEqual(runs.map((r) => r.due_at), [
      "2026-01-05T00:00:02.000Z",
      "2026-01-05T00:00:04.000Z",
    ]);
  });
});

Deno.test("an at schedule fires once and then disables itself", async () => {
  await withClockKernel(async (kernel, clock) => {
    kernel.agents.spawn({ name: "bot" });
    const s = kernel.schedules.create({
      agent: "bot",
      at: "2026-01-05T10:00:00+01:00",
      message: "once",
    });
    assert.equal(s.expr, "2026-01-05T09:00:00.000Z");
    await clock.advanceTo("2026-01-05T09:00:00Z");
    await settled(kernel, s.id);
    await clock.advance(86_400_000);
    const runs = await settled(kernel, s.id);
    assert.deepEqual(runs.map((r) => r.outcome), ["ok"]);
    const after = kernel.schedules.get(s.id);
    assert.equal(after.enabled, false);
    assert.equal(after.next_run_at, null);
  });
});

Deno.test("disable stops firing and enable resumes from now; both persist", async () => {
  await withClockKernel(async (kernel, clock) => {
    kernel.agents.spawn({ name: "bot" });
    const s = kernel.schedules.create({ agent: "bot", every: "1m", message: "tick" });
    assert.equal(kernel.schedules.disable(s.id).enabled, false);
    await clock.advance(5 * 60_000);
    assert.equal(runsOf(kernel, s.id).length, 0);
    const on = kernel.schedules.enable(s.id);
    assert.equal(on.next_run_at, "2026-01-05T00:06:00.000Z");
    await clock.advance(60_000);
    assert.equal((await settled(kernel, s.id)).length, 1);
    // One scheduler timer for all schedules, the daily memory decay pass, the audit anchor timer.
    assert.equal(clock.pendingTimers, 3, "one scheduler timer for all schedules");
  });
});

Deno.test("run-now fires at once outside the timing; edit changes kind and time", async () => {
  await withClockKernel(async (kernel, clock) => {
    kernel.agents.spawn({ name: "bot" });
    const s = kernel.schedules.create({ agent: "bot", every: "1h", message: "tick" });
    const run = kernel.schedules.runNow(s.id);
    assert.equal(run.trigger, "manual");
    await settled(kernel, s.id);
    const edited = kernel.schedules.update(s.id, { cron: "30 * * * *", message: "half past" });
    assert.equal(edited.kind, "cron");
    assert.equal(edited.message, "half past");
    assert.equal(edited.next_run_at, "2026-01-05T00:30:00.000Z");
    await clock.advanceTo("2026-01-05T00:30:00Z");
    const runs = await settled(kernel, s.id);
    assert.deepEqual(runs.map((r) => r.trigger), ["manual", "due"]);
    assert.deepEqual(kernel.schedules.preview("0 9 * * 1-5", "Europe/Berlin").times, [
      "2026-01-05T08:00:00.000Z",
      "2026-01-06T08:00:00.000Z",
      "2026-01-07T08:00:00.000Z",
      "2026-01-08T08:00:00.000Z",
      "2026-01-09T08:00:00.000Z",
    ]);
  });
});
