import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { boot, withTempDir } from "../kernel/fixtures.ts";
import { startServe } from "../talon_process.ts";

function runs(dir: string): { outcome: string; trigger: string }[] {
  const db = new DatabaseSync(`${dir}/talon.db`, { readOnly: true });
  try {
    return db.prepare("SELECT outcome, trigger FROM schedule_runs ORDER BY id").all() as {
      outcome: string;
      trigger: string;
    }[];
  } finally {
    db.close();
  }
}

async function until<T>(check: () => T | false, what: string, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

Deno.test("talon serve fires an every-1s schedule with nobody prompting, and keeps its rows across SIGTERM and restart", async () => {
  await withTempDir(async (dir) => {
    const setup = await boot(dir, { ephemeral: true });
    setup.agents.spawn({ name: "ticker" });
    const id = setup.schedules.create({ agent: "ticker", every: "1s", message: "tick" }).id;
    await setup.close();
    assert.equal(runs(dir).length, 0, "a CLI kernel never fires");

    const first = await startServe(dir);
    let stopped;
    try {
      await until(
        () => runs(dir).filter((r) => r.outcome === "ok").length >= 2,
        "two ok runs",
        60_000,
      );
    } finally {
      stopped = await first.stop("SIGTERM");
    }
    assert.equal(stopped.code, 0, stopped.stderr);
    const before = runs(dir);
    assert.ok(before.every((r) => r.outcome !== "running" && r.outcome !== "queued"));

    const second = await startServe(dir);
    try {
      await until(() => runs(dir).length > before.length, "a run after the restart", 60_000);
      assert.deepEqual(runs(dir).slice(0, before.length), before);
    } finally {
      await second.stop("SIGTERM");
    }
    const kernel = await boot(dir, { ephemeral: true });
    try {
      const schedule = kernel.schedules.get(id);
      assert.equal(schedule.enabled, true);
      assert.equal(schedule.expr, "1s");
    } finally {
      await kernel.close();
    }
  });
});
