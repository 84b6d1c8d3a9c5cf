import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { parse } from "smol-toml";
import { MIGRATIONS } from "../../../migrations/mod.ts";
import { AgentManifest } from "../../../kernel/types.ts";
import * as store from "../../../kernel/store/mod.ts";
import { FakeClock } from "../../fakes/fake_clock.ts";
import { talonError, withTempDir } from "../fixtures.ts";
import { bootOn, settled, withClockKernel } from "./schedule_fixtures.ts";

Deno.test("a manifest's [schedule] becomes one row owned by the manifest on spawn and PATCH", async () => {
  await withClockKernel(async (kernel, clock) => {
    const agent = kernel.agents.spawn({
      name: "bot",
      schedule: { every: "1h", message: "report", catch_up: "skip" },
    });
    const [row] = kernel.schedules.list({ agent: "bot" });
    assert.equal(row!.owner, "manifest");
    assert.equal(row!.kind, "every");
    assert.equal(row!.catch_up, "skip");
    assert.equal(row!.next_run_at, "2026-01-05T01:00:00.000Z");

    kernel.agents.update("bot", { description: "unrelated" });
    assert.deepEqual(kernel.schedules.list({ agent: "bot" }), [row]);

    kernel.agents.update("bot", {
      schedule: { cron: "0 9 * * *", tz: "Europe/Berlin", message: "morning" },
    });
    const changed = kernel.schedules.list({ agent: "bot" });
    assert.equal(changed.length, 1);
    assert.equal(changed[0]!.id, row!.id);
    assert.equal(changed[0]!.kind, "cron");
    assert.equal(changed[0]!.message, "morning");
    assert.equal(changed[0]!.next_run_at, "2026-01-05T08:00:00.000Z");

    await clock.advanceTo("2026-01-05T08:00:00Z");
    assert.equal((await settled(kernel, row!.id))[0]!.outcome, "ok");

    kernel.agents.update("bot", { schedule: null });
    assert.deepEqual(kernel.schedules.list({ agent: "bot" }), []);
    assert.equal(kernel.agents.get(agent.id).manifest.schedule, undefined);
    const actions = kernel.audit.list({ limit: 100 }).entries.map((e) => e.action)
      .filter((a) => a.startsWith("schedule.") && a !== "schedule.fired");
    assert.deepEqual(actions.reverse(), [
      "schedule.created",
      "schedule.updated",
      "schedule.deleted",
    ]);
  });
});

Deno.test("a manifest-owned row cannot be removed or edited directly; it names its owner", async () => {
  await withClockKernel((kernel) => {
    kernel.agents.spawn({ name: "bot", schedule: { every: "1h", message: "report" } });
    const [row] = kernel.schedules.list();
    assert.throws(
      () => kernel.schedules.remove(row!.id),
      talonError("illegal_transition", /owned by agent "bot"'s manifest/),
    );
    assert.throws(
      () => kernel.schedules.update(row!.id, { every: "2h" }),
      talonError("illegal_transition", /\[schedule\]/),
    );
    assert.equal(kernel.schedules.disable(row!.id).enabled, false);
    assert.equal(kernel.schedules.list().length, 1);
    return Promise.resolve();
  });
});

Deno.test("a bad [schedule] or an old mode is refused naming the field, with nothing written", async () => {
  await withClockKernel((kernel) => {
    const audit = kernel.audit.list({ limit: 500 }).entries.length;
    const cases: [unknown, string, RegExp][] = [
      [{ cron: "61 * * * *", message: "x" }, "invalid_manifest", /schedule\.cron: .*minute/],
      [
        { mode: "periodic", cron: "0 * * * *" },
        "invalid_manifest",
        /schedule\.mode: `mode` was replaced/,
      ],
      [{ every: "5x", message: "x" }, "invalid_manifest", /schedule\.every/],
      [{ cron: "* * * * *", tz: "Nowhere/City", message: "x" }, "invalid_manifest", /schedule\.tz/],
    ];
    for (const [schedule, code, pattern] of cases) {
      assert.throws(
        () => kernel.agents.spawn({ name: "bot", schedule }),
        talonError(code as "invalid_input", pattern),
      );
    }
    assert.throws(
      () => kernel.agents.spawn({ name: "bot", schedule: { cron: "61 * * * *", message: "x" } }),
      (error: { fields?: Record<string, string> }) =>
        Object.keys(error.fields ?? {}).join() === "schedule.cron",
    );
    assert.equal(kernel.agents.list().length, 0);
    assert.equal(kernel.schedules.list().length, 0);
    assert.equal(kernel.audit.list({ limit: 500 }).entries.length, audit);
    // An agent spawning a child may not schedule it more often than every minute.
    kernel.agents.spawn({ name: "parent", capabilities: ["agent_spawn"] });
    assert.throws(
      () =>
        kernel.agents.spawn({ name: "kid", schedule: { every: "30s", message: "x" } }, {
          parent: "parent",
          actor: "agent:parent",
        }),
      talonError("invalid_manifest", /schedule\.every: .*every 1 minute/),
    );
    kernel.agents.spawn({ name: "ok" });
    assert.throws(
      () =>
        kernel.agents.update("ok", {
          schedule: { every: "1m", at: "2030-01-01T00:00:00Z", message: "x" },
        }),
      talonError("invalid_manifest", /schedule\.at: give only one/),
    );
    assert.equal(kernel.schedules.list().length, 0);
    return Promise.resolve();
  });
});

Deno.test("stored manifests in the old mode/cron shape migrate to [schedule] and rows", async () => {
  await withTempDir(async (dir) => {
    const db = new DatabaseSync(`${dir}/talon.db`);
    store.migrate(db, MIGRATIONS.filter((m) => m.version < 6));
    const insert = db.prepare(
      `INSERT INTO agents (id, name, state, provider, model, manifest, created_at, updated_at)
       VALUES (?, ?, ?, 'offline', 'offline', ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
    );
    const manifest = (name: string, schedule: unknown) =>
      JSON.stringify({
        name,
        provider: "offline",
        model: "offline",
        schedule,
      });
    insert.run("a1", "reactive", "running", manifest("reactive", { mode: "reactive" }));
    insert.run(
      "a2",
      "periodic",
      "running",
      manifest("periodic", { mode: "periodic", cron: "0 * * * *" }),
    );
    insert.run("a3", "dead", "killed", manifest("dead", { mode: "periodic", cron: "0 * * * *" }));
    insert.run("a4", "busy", "running", manifest("busy", { mode: "continuous" }));
    db.close();
    const kernel = await bootOn(dir, new FakeClock("2026-01-05T00:10:00Z"));
    try {
      assert.equal(kernel.agents.get("reactive").manifest.schedule, undefined);
      assert.equal(kernel.agents.get("busy").manifest.schedule, undefined);
      assert.deepEqual(kernel.agents.get("periodic").manifest.schedule, {
        cron: "0 * * * *",
        message: "Scheduled run: carry out your periodic task now.",
      });
      const rows = kernel.schedules.list();
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.agent_name, "periodic");
      assert.equal(rows[0]!.owner, "manifest");
      assert.equal(rows[0]!.next_run_at, "2026-01-05T01:00:00.000Z");
      assert.equal(kernel.agents.get("a3").manifest.schedule?.cron, "0 * * * *");
      // The migrated row is reconciled like any other on the next PATCH.
      kernel.agents.update("periodic", { schedule: { every: "2h", message: "go" } });
      assert.equal(kernel.schedules.list()[0]!.kind, "every");
    } finally {
      await kernel.close();
    }
  });
});

Deno.test("every example manifest parses in the current shape", async () => {
  const dir = new URL("../../../examples/", import.meta.url);
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.name.endsWith(".toml")) continue;
    const parsed = AgentManifest.safeParse(
      parse(await Deno.readTextFile(new URL(entry.name, dir))),
    );
    assert.ok(parsed.success, `${entry.name}: ${parsed.error?.message}`);
  }
});
