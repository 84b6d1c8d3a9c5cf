import assert from "node:assert/strict";
import { FakeClock } from "../../fakes/fake_clock.ts";
import { talonError, withTempDir } from "../fixtures.ts";
import {
  bootOn,
  holdTools,
  runsOf,
  settled,
  waitFor,
  writeHoldScript,
} from "./schedule_fixtures.ts";

const WEEK = 7 * 86_400_000;

Deno.test("after a week of downtime catch_up = once fires exactly one catch-up run", async () => {
  await withTempDir(async (dir) => {
    const first = await bootOn(dir, new FakeClock("2026-01-05T00:00:00Z"));
    first.agents.spawn({ name: "bot" });
    const id = first.schedules.create({ agent: "bot", every: "1h", message: "tick" }).id;
    await first.close();
    const clock = new FakeClock(Date.parse("2026-01-05T00:30:00Z") + WEEK);
    const kernel = await bootOn(dir, clock);
    try {
      const runs = await settled(kernel, id);
      assert.deepEqual(runs.map((r) => [r.trigger, r.outcome, r.due_at]), [
        ["catch_up", "ok", "2026-01-05T01:00:00.000Z"],
      ]);
      // The phase is kept: the next firing is on the hour.
      assert.equal(kernel.schedules.get(id).next_run_at, "2026-01-12T01:00:00.000Z");
      await clock.advance(30 * 60_000);
      assert.deepEqual((await settled(kernel, id)).map((r) => r.trigger), ["catch_up", "due"]);
    } finally {
      await kernel.close();
    }
  });
});

Deno.test("after a week of downtime catch_up = skip records exactly one missed run", async () => {
  await withTempDir(async (dir) => {
    const first = await bootOn(dir, new FakeClock("2026-01-05T00:00:00Z"));
    first.agents.spawn({ name: "bot" });
    const hourly = first.schedules.create({
      agent: "bot",
      every: "1h",
      message: "tick",
      catch_up: "skip",
    }).id;
    const secondly = first.schedules.create({
      agent: "bot",
      cron: "* * * * * *",
      message: "tick",
      catch_up: "skip",
    }).id;
    await first.close();
    const kernel = await bootOn(dir, new FakeClock(Date.parse("2026-01-05T00:30:00Z") + WEEK));
    try {
      const runs = runsOf(kernel, hourly);
      assert.deepEqual(runs.map((r) => [r.outcome, r.reason, r.turn_id]), [
        ["missed", "not_running", null],
      ]);
      assert.match(
        runs[0]!.message!,
        /^168 firing\(s\) since 2026-01-05T01:00:00.000Z were missed/,
      );
      const burst = runsOf(kernel, secondly);
      assert.equal(burst.length, 1);
      assert.match(burst[0]!.message!, /^at least 1000 firing/);
      assert.equal(kernel.audit.list({ limit: 50, action: "agent.message" }).entries.length, 0);
    } finally {
      await kernel.close();
    }
  });
});

Deno.test("a restart interrupts the run in flight, skips the queued one and keeps every row", async () => {
  const hold = holdTools();
  await withTempDir(async (dir) => {
    const script = await writeHoldScript(dir);
    const clock = new FakeClock("2026-01-05T00:00:00Z");
    const first = await bootOn(dir, clock, { tools: hold.executor });
    first.agents.spawn({ name: "bot", model: `script:${script}` });
    const id = first.schedules.create({
      agent: "bot",
      every: "1m",
      message: "tick",
      overlap: "queue",
    }).id;
    const off = first.schedules.create({ agent: "bot", every: "1h", message: "x" }).id;
    first.schedules.disable(off);
    await clock.advance(60_000);
    await waitFor(() => hold.held === 1, "the run to hold");
    await clock.advance(60_000);
    await first.close();
    const kernel = await bootOn(dir, new FakeClock("2026-01-05T00:03:10Z"));
    try {
      const runs = runsOf(kernel, id);
      assert.deepEqual(runs.slice(0, 2).map((r) => [r.outcome, r.reason]), [
        ["interrupted", "interrupted"],
        ["skipped", "shutting_down"],
      ]);
      // The firing due while it was down (00:03) catches up once.
      assert.equal(runs.length, 3);
      assert.equal(runs[2]!.trigger, "catch_up");
      assert.equal(kernel.schedules.get(off).enabled, false);
      assert.equal(kernel.schedules.list().length, 2);
    } finally {
      hold.release();
      await kernel.close();
    }
  });
});

Deno.test("a run left running by a crash is interrupted at the next boot", async () => {
  await withTempDir(async (dir) => {
    const first = await bootOn(dir, new FakeClock(), { ephemeral: true });
    first.agents.spawn({ name: "bot" });
    const id = first.schedules.create({ agent: "bot", every: "1h", message: "tick" }).id;
    first.db.prepare(
      `INSERT INTO schedule_runs (schedule_id, agent_id, trigger, due_at, started_at, outcome)
       SELECT id, agent_id, 'due', '2026-01-05T00:00:00.000Z', '2026-01-05T00:00:00.000Z', 'running'
         FROM schedules`,
    ).run();
    await first.close();
    const kernel = await bootOn(dir, new FakeClock(), { ephemeral: true });
    try {
      const runs = runsOf(kernel, id);
      assert.deepEqual(runs.map((r) => [r.outcome, r.reason]), [["interrupted", "restart"]]);
    } finally {
      await kernel.close();
    }
  });
});

Deno.test("an ephemeral (CLI) kernel manages rows but never fires them", async () => {
  await withTempDir(async (dir) => {
    const clock = new FakeClock();
    const kernel = await bootOn(dir, clock, { ephemeral: true });
    try {
      kernel.agents.spawn({ name: "bot" });
      const s = kernel.schedules.create({ agent: "bot", every: "1s", message: "tick" });
      await clock.advance(10_000);
      assert.equal(runsOf(kernel, s.id).length, 0);
      assert.equal(kernel.schedules.firing, false);
      assert.throws(() => kernel.schedules.runNow(s.id), talonError("illegal_transition", /serve/));
    } finally {
      await kernel.close();
    }
  });
});
