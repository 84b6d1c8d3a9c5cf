import assert from "node:assert/strict";
import { talonError, withKernel, writeScript } from "../fixtures.ts";
import { runsSettled } from "./hand_fixtures.ts";

function counts(kernel: { db: { prepare(sql: string): { get(): unknown } } }): unknown {
  return kernel.db.prepare(
    `SELECT (SELECT COUNT(*) FROM agents) AS agents, (SELECT COUNT(*) FROM hand_instances) AS
            instances, (SELECT COUNT(*) FROM schedules) AS schedules`,
  ).get();
}

Deno.test("bad settings and activation fields are refused naming the field, and nothing is written", async () => {
  await withKernel((kernel) => {
    const before = counts(kernel);
    const cases: [unknown, string, RegExp][] = [
      [{ settings: {} }, "settings.topic", /Topic is required/],
      [{ settings: { topic: "   " } }, "settings.topic", /required/],
      [
        { settings: { topic: "x", depth: "ultra" } },
        "settings.depth",
        /one of quick, standard, deep/,
      ],
      [{ settings: { topic: "x", colour: "red" } }, "settings.colour", /unknown setting/],
      [{ settings: { topic: "x" }, cron: "61 * * * *" }, "cron", /./],
      [{ settings: { topic: "x" }, tz: "Nowhere/City" }, "tz", /time zone/],
      [{ settings: { topic: "x" }, name: "Bad Name" }, "name", /slug/],
      [{ settings: { topic: "x" }, extra: 1 }, "extra", /unknown/],
    ];
    for (const [body, field, message] of cases) {
      assert.throws(() => kernel.hands.activate("researcher", body), (error: unknown) => {
        talonError("invalid_input")(error);
        const fields = (error as { fields?: Record<string, string> }).fields ?? {};
        assert.ok(fields[field], `${field} in ${JSON.stringify(fields)}`);
        assert.match(fields[field]!, message);
        return true;
      });
    }
    assert.deepEqual(counts(kernel), before, "nothing was written");
    assert.throws(() => kernel.hands.activate("nope", {}), talonError("not_found"));

    const lead = kernel.hands.activate("lead", { settings: { profile: "SaaS", max_leads: "7" } });
    assert.equal(lead.settings.max_leads, 7, "a form's text is read as the setting's number");
    const after = counts(kernel);
    assert.throws(
      () => kernel.hands.updateSettings("lead", { settings: { max_leads: "many" } }),
      (e: unknown) =>
        talonError("invalid_input")(e) && "settings.max_leads" in (e as { fields: object }).fields,
    );
    assert.deepEqual(kernel.hands.instance("lead").settings.max_leads, 7);
    assert.deepEqual(counts(kernel), after);
    const prompt = kernel.agents.get(lead.agent_id).manifest.system_prompt;
    const changed = kernel.hands.updateSettings("lead", { settings: { max_leads: 3 } });
    assert.equal(changed.settings.max_leads, 3);
    assert.equal(changed.settings.profile, "SaaS");
    const newPrompt = kernel.agents.get(lead.agent_id).manifest.system_prompt;
    assert.notEqual(newPrompt, prompt);
    assert.match(newPrompt, /- max_leads \(Leads per run\): 3/);
    assert.throws(
      () => kernel.hands.activate("lead", { settings: { profile: "SaaS" } }),
      talonError("name_taken"),
    );
  });
});

Deno.test("an instance pauses, resumes, runs now and deactivates, keeping its runs and reports", async () => {
  await withKernel(async (kernel, dir) => {
    const script = await writeScript(dir, {
      turns: [{
        match: ".*",
        steps: [{ tool_calls: [{ name: "report_write", args: { title: "Drafts", body: "x" } }] }, {
          text: "ok",
        }],
      }],
    });
    const instance = kernel.hands.activate("social", {
      name: "posts",
      settings: { topic: "Deno" },
      cron: "30 9 * * *",
      tz: "Europe/Berlin",
      model: `script:${script}`,
    });
    const agent = kernel.agents.get(instance.agent_id);
    assert.equal(agent.name, "posts");
    assert.deepEqual(agent.manifest.require_approval, ["social_publish"]);
    const schedule = kernel.schedules.get(instance.schedule_id!);
    assert.deepEqual([schedule.expr, schedule.tz, schedule.owner], [
      "30 9 * * *",
      "Europe/Berlin",
      "hand:posts",
    ]);
    assert.throws(
      () => kernel.schedules.remove(instance.schedule_id!),
      talonError("illegal_transition", /owned by hand:posts/),
    );

    const paused = kernel.hands.pause("posts");
    assert.equal(paused.state, "paused");
    assert.equal(paused.next_run_at, null);
    assert.equal(kernel.agents.get(instance.agent_id).state, "paused");
    assert.throws(() => kernel.hands.run("posts"), talonError("illegal_transition", /resume/));
    const resumed = kernel.hands.resume("posts");
    assert.equal(resumed.state, "active");
    assert.ok(resumed.next_run_at);

    kernel.hands.run("posts");
    await runsSettled(kernel, "posts");
    const gone = kernel.hands.deactivate("posts");
    assert.equal(gone.state, "deactivated");
    assert.equal(gone.schedule_id, null);
    assert.equal(kernel.agents.get(instance.agent_id).state, "killed");
    assert.throws(() => kernel.schedules.get(instance.schedule_id!), talonError("not_found"));
    assert.equal(gone.last_runs.length, 1, "its runs are kept");
    assert.equal(gone.last_runs[0]!.outcome, "ok");
    assert.equal(gone.reports, 1);
    assert.equal(kernel.reports.list({ instance: "posts" }).length, 1);
    assert.throws(() => kernel.hands.run("posts"), talonError("illegal_transition", /deactivated/));
    assert.deepEqual(kernel.hands.list().find((h) => h.manifest.id === "social")!.instances, []);
    const again = kernel.hands.activate("social", { name: "posts", settings: { topic: "Deno" } });
    assert.notEqual(again.id, instance.id, "the name is free again");
    assert.equal(kernel.hands.instance("posts").id, again.id);
  });
});

Deno.test("social_publish always waits for approval, then posts once to the publish webhook", async () => {
  const { serveWeb } = await import("../../fakes/web_server.ts");
  await using hook = serveWeb(() => new Response("ok"));
  await withKernel(async (kernel, dir) => {
    const script = await writeScript(dir, {
      turns: [{
        match: ".*",
        steps: [
          { tool_calls: [{ name: "social_publish", args: { text: "Deno 3 is out" } }] },
          { text: "ok" },
        ],
      }],
    });
    kernel.hands.activate("social", {
      settings: { topic: "Deno", publish_webhook: `${hook.origin}/post` },
      model: `script:${script}`,
    });
    kernel.hands.run("social");
    const { waitFor } = await import("../scheduler/schedule_fixtures.ts");
    const pending = await waitFor(
      () => kernel.approvals.list({ status: "pending" })[0],
      "an approval request",
    );
    assert.equal(pending.tool, "social_publish");
    assert.equal(hook.requests.length, 0, "nothing is posted before approval");
    kernel.approvals.approve(pending.id, { actor: "user:test" });
    const [run] = await runsSettled(kernel, "social");
    assert.equal(run!.outcome, "ok");
    assert.equal(hook.requests.length, 1);
    assert.equal(JSON.parse(hook.requests[0]!.body).text, "Deno 3 is out");
    const published = kernel.hands.instance("social").metrics.find((m) =>
      m.memory_key === "social.published"
    );
    assert.equal(published!.display, "1");
  }, { config: '[tools.web]\nallow_hosts = ["127.0.0.1"]\n' });
});
