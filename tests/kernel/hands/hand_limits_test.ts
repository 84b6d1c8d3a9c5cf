import assert from "node:assert/strict";
import { serveWeb, untilClosed } from "../../fakes/web_server.ts";
import { FakeClock } from "../../fakes/fake_clock.ts";
import { boot, withTempDir, writeScript } from "../fixtures.ts";
import { withClockKernel } from "../scheduler/schedule_fixtures.ts";
import { LOCAL_WEB, runsSettled } from "./hand_fixtures.ts";

Deno.test("a run is cut off at the Hand's usd_per_run, keeping what it did so far", async () => {
  await using web = serveWeb(() => new Response("page text"));
  await withTempDir(async (dir) => {
    const fetches = Array.from({ length: 8 }, (_, i) => ({
      tool_calls: [{ name: "web_fetch", args: { url: `${web.origin}/p${i}` } }],
    }));
    const script = await writeScript(dir, {
      turns: [{
        match: ".*",
        steps: [
          ...fetches,
          { tool_calls: [{ name: "report_write", args: { title: "T", body: "B" } }] },
          { text: "done" },
        ],
      }],
    });
    // $100 per million tokens: the researcher's SOP prompt alone costs about $0.15 a call.
    await Deno.writeTextFile(
      `${dir}/config.toml`,
      `${LOCAL_WEB}[models."script:${script}"]\ninput_usd_per_mtok = 100\noutput_usd_per_mtok = 100\n`,
    );
    const kernel = await boot(dir);
    try {
      kernel.hands.activate("researcher", { settings: { topic: "x" }, model: `script:${script}` });
      kernel.hands.run("researcher");
      const [run] = await runsSettled(kernel, "researcher");
      assert.equal(run!.outcome, "interrupted");
      assert.equal(run!.reason, "usd_per_run");
      assert.match(run!.message!, /usd_per_run of \$0\.50/);
      assert.ok(run!.cost_usd >= 0.5, `spent ${run!.cost_usd}`);
      assert.ok(web.hits.length >= 1 && web.hits.length < 8, `fetched ${web.hits.length}`);
      assert.equal(kernel.reports.list().length, 0, "the run stopped before its report");
      const turn = kernel.agents.session("researcher", { limit: 100 });
      assert.ok(turn.messages.some((m) => m.role === "tool"), "its partial work is kept");
    } finally {
      await kernel.close();
    }
  });
});

Deno.test("a run is cut off at its schedule's max_runtime (fake clock), partial kept", async () => {
  await using web = serveWeb((_req, closed) =>
    untilClosed(closed).then(() => new Response("late"))
  );
  await withClockKernel(async (kernel, clock, dir) => {
    const script = await writeScript(dir, {
      turns: [{
        match: ".*",
        steps: [
          { tool_calls: [{ name: "web_fetch", args: { url: `${web.origin}/slow` } }] },
          { text: "done" },
        ],
      }],
    });
    kernel.hands.activate("researcher", { settings: { topic: "x" }, model: `script:${script}` });
    kernel.hands.run("researcher");
    const { waitFor } = await import("../scheduler/schedule_fixtures.ts");
    await waitFor(() => web.hits.length === 1, "the slow fetch to start");
    await clock.advance(19 * 60_000);
    assert.equal(kernel.hands.instance("researcher").last_runs[0]!.outcome, "running");
    await clock.advance(60_000);
    const [run] = await runsSettled(kernel, "researcher");
    assert.equal(run!.outcome, "timeout");
    assert.equal(run!.reason, "max_runtime");
  }, { config: LOCAL_WEB });
});

Deno.test("an active instance survives a restart and fires on its schedule afterwards", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/config.toml`, LOCAL_WEB);
    const script = await writeScript(dir, {
      turns: [{
        match: "Scheduled run",
        steps: [{ tool_calls: [{ name: "report_write", args: { title: "Hourly", body: "B" } }] }, {
          text: "ok",
        }],
      }],
    });
    const clock = new FakeClock("2026-01-05T00:10:00Z");
    let kernel = await boot(dir, { clock });
    const instance = kernel.hands.activate("researcher", {
      settings: { topic: "x" },
      cron: "0 * * * *",
      model: `script:${script}`,
    });
    assert.equal(instance.next_run_at, "2026-01-05T01:00:00.000Z");
    await kernel.close();

    kernel = await boot(dir, { clock });
    try {
      const again = kernel.hands.instance("researcher");
      assert.equal(again.id, instance.id);
      assert.equal(again.state, "active");
      assert.equal(again.settings.topic, "x");
      assert.equal(kernel.agents.get(again.agent_id).state, "running");
      assert.equal(again.next_run_at, "2026-01-05T01:00:00.000Z");
      await clock.advanceTo("2026-01-05T01:00:00Z");
      const [run] = await runsSettled(kernel, "researcher");
      assert.equal(run!.outcome, "ok");
      assert.equal(run!.trigger, "due");
      assert.equal(kernel.reports.list({ instance: "researcher" })[0]!.title, "Hourly");
    } finally {
      await kernel.close();
    }
  });
});
