import assert from "node:assert/strict";
import { serveWeb } from "../../fakes/web_server.ts";
import { withKernel, writeScript } from "../fixtures.ts";
import { LOCAL_WEB, runsSettled } from "./hand_fixtures.ts";

Deno.test("researcher: a run now fetches local pages and stores a report with its sources, linked to run and instance, and its sources in the graph", async () => {
  await using web = serveWeb((req) => {
    const path = new URL(req.url).pathname;
    return new Response(`<h1>${path}</h1><p>Deno 2 ships a built-in SQLite (${path}).</p>`, {
      headers: { "content-type": "text/html" },
    });
  });
  await withKernel(async (kernel, dir) => {
    const script = await writeScript(dir, {
      turns: [{
        match: "Scheduled run",
        steps: [
          { tool_calls: [{ name: "web_fetch", args: { url: `${web.origin}/a` } }] },
          { tool_calls: [{ name: "web_fetch", args: { url: `${web.origin}/b` } }] },
          {
            tool_calls: [
              { name: "knowledge_add", args: { name: "SQLite in Deno", type: "topic" } },
              {
                name: "knowledge_add",
                args: { name: `${web.origin}/a`, type: "source", properties: { title: "A" } },
              },
              {
                name: "knowledge_relate",
                args: { from: "SQLite in Deno", type: "cites", to: `${web.origin}/a` },
              },
              { name: "knowledge_add", args: { name: "Deno", type: "runtime" } },
              {
                name: "knowledge_relate",
                args: { from: `${web.origin}/a`, type: "about", to: "Deno" },
              },
            ],
          },
          {
            tool_calls: [{
              name: "report_write",
              args: {
                title: "SQLite in Deno",
                body: "Deno ships SQLite [1][2].",
                sources: [{ url: `${web.origin}/a`, title: "A" }, { url: `${web.origin}/b` }],
              },
            }],
          },
          { text: "Report stored with 2 sources." },
        ],
      }],
    });
    const instance = kernel.hands.activate("researcher", {
      settings: { topic: "SQLite in Deno" },
      model: `script:${script}`,
    });
    assert.equal(instance.name, "researcher");
    assert.equal(instance.state, "active");
    assert.ok(instance.next_run_at, "its schedule is armed");
    const agent = kernel.agents.get(instance.agent_id);
    assert.match(agent.manifest.system_prompt, /## 1\. Plan/);
    assert.match(agent.manifest.system_prompt, /- topic \(Topic\): SQLite in Deno/);
    assert.equal(agent.manifest.resources.max_cost_usd_per_day, 2);
    const schedule = kernel.schedules.get(instance.schedule_id!);
    assert.equal(schedule.owner, "hand:researcher");
    assert.equal(schedule.expr, "0 7 * * 1");

    const run = kernel.hands.run("researcher");
    const [done] = await runsSettled(kernel, "researcher");
    assert.equal(done!.id, run.id);
    assert.equal(done!.outcome, "ok");
    assert.deepEqual(web.hits, ["/a", "/b"]);

    const [summary] = kernel.reports.list({ instance: "researcher" });
    assert.ok(summary);
    const report = kernel.reports.get(summary.id);
    assert.equal(report.title, "SQLite in Deno");
    assert.equal(report.body, "Deno ships SQLite [1][2].");
    assert.equal(report.run_id, run.id);
    assert.equal(report.instance_id, instance.id);
    assert.equal(report.hand_id, "researcher");
    assert.equal(report.sources.length, 2);
    assert.equal(report.delivery, null);
    // The next run starts from the graph: topic → cites → source → about → entity.
    const graph = kernel.knowledge.query(instance.agent_id, {
      entity: "SQLite in Deno",
      to: "Deno",
      depth: 2,
    });
    assert.deepEqual(graph.paths, [[
      "SQLite in Deno",
      "-cites->",
      `${web.origin}/a`,
      "-about->",
      "Deno",
    ]]);
    const view = kernel.hands.instance("researcher");
    assert.equal(view.reports, 1);
    assert.deepEqual(
      view.metrics.map((m) => [m.label, m.display]),
      [["Reports written", "1"], ["Sources cited (last report)", "2"]],
    );
  }, { config: LOCAL_WEB });
});

Deno.test("a report goes to the instance's webhook through the SSRF guard, the outcome recorded", async () => {
  await using hook = serveWeb(() => new Response("ok", { status: 202 }));
  await withKernel(async (kernel, dir) => {
    const script = await writeScript(dir, {
      turns: [{
        match: ".*",
        steps: [
          { tool_calls: [{ name: "report_write", args: { title: "T", body: "B" } }] },
          { text: "ok" },
        ],
      }],
    });
    kernel.hands.activate("researcher", {
      name: "hooked",
      settings: { topic: "x", webhook_url: `${hook.origin}/hook` },
      model: `script:${script}`,
    });
    kernel.hands.run("hooked");
    await runsSettled(kernel, "hooked");
    const [summary] = kernel.reports.list({ instance: "hooked" });
    assert.equal(summary!.delivery?.ok, true);
    assert.equal(summary!.delivery?.status, 202);
    assert.equal(hook.requests.length, 1);
    assert.equal(hook.requests[0]!.method, "POST");
    assert.equal(JSON.parse(hook.requests[0]!.body).report.title, "T");
  }, { config: LOCAL_WEB });

  // Without loopback allowed, the guard refuses the webhook: the report is kept, the refusal recorded.
  await using refused = serveWeb(() => new Response("ok"));
  await withKernel(async (kernel, dir) => {
    const script = await writeScript(dir, {
      turns: [{
        match: ".*",
        steps: [{ tool_calls: [{ name: "report_write", args: { title: "T", body: "B" } }] }, {
          text: "ok",
        }],
      }],
    });
    kernel.hands.activate("researcher", {
      settings: { topic: "x", webhook_url: `${refused.origin}/hook` },
      model: `script:${script}`,
    });
    kernel.hands.run("researcher");
    await runsSettled(kernel, "researcher");
    const [summary] = kernel.reports.list();
    assert.equal(summary!.delivery?.ok, false);
    assert.match(summary!.delivery!.error!, /private|loopback|not allowed|denied/i);
    assert.deepEqual(refused.hits, []);
  });
});
