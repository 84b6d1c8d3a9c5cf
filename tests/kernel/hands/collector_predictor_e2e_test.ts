import assert from "node:assert/strict";
import { serveWeb } from "../../fakes/web_server.ts";
import { withKernel, writeScript } from "../fixtures.ts";
import { LOCAL_WEB, runsSettled } from "./hand_fixtures.ts";

Deno.test("collector: over two runs with a changed page, the second report holds the tool's diff lines and the graph the latest state", async () => {
  let price = "Widget: 10 EUR";
  await using web = serveWeb((req) =>
    new URL(req.url).pathname === "/shop"
      ? new Response(`<html><body><h1>Shop</h1><p>${price}</p><p>Open daily</p></body></html>`, {
        headers: { "content-type": "text/html" },
      })
      : new Response("<p>About us</p>", { headers: { "content-type": "text/html" } })
  );
  await withKernel(async (kernel, dir) => {
    const shop = `${web.origin}/shop`;
    // What the model records in its knowledge graph after reading the diff (SOP step "Deliver").
    const steps = (seen: string) => [
      { tool_calls: [{ name: "knowledge_query", args: { entity: shop } }] },
      { tool_calls: [{ name: "page_diff", args: { url: shop } }] },
      { tool_calls: [{ name: "page_diff", args: { url: `${web.origin}/about` } }] },
      {
        tool_calls: [
          {
            name: "knowledge_add",
            args: { name: shop, type: "page", properties: { status: "checked" } },
          },
          {
            name: "knowledge_add",
            args: { name: "Widget", type: "product", properties: { price: seen } },
          },
          { name: "knowledge_relate", args: { from: shop, type: "mentions", to: "Widget" } },
        ],
      },
      {
        tool_calls: [{
          name: "report_write",
          args: {
            title: "Changes",
            body: "Pages checked.",
            sources: [{ url: shop }],
            append_changes: true,
          },
        }],
      },
      { text: "done" },
    ];
    const script = await writeScript(dir, { turns: [{ match: ".*", steps: steps("10 EUR") }] });
    kernel.hands.activate("collector", {
      settings: { urls: `${shop}\n${web.origin}/about` },
      model: `script:${script}`,
    });
    kernel.hands.run("collector");
    await runsSettled(kernel, "collector", 1);
    price = "Widget: 12 EUR";
    await writeScript(dir, { turns: [{ match: ".*", steps: steps("12 EUR") }] });
    kernel.hands.run("collector");
    const runs = await runsSettled(kernel, "collector", 2);
    assert.deepEqual(runs.map((r) => r.outcome), ["ok", "ok"]);

    const [second, first] = kernel.reports.list({ instance: "collector" });
    assert.match(kernel.reports.get(first!.id).body, /No page changed in this run/);
    const body = kernel.reports.get(second!.id).body;
    assert.equal(second!.run_id, runs[0]!.id);
    assert.match(body, /^-Widget: 10 EUR$/m);
    assert.match(body, /^\+Widget: 12 EUR$/m);
    const scriptText = await Deno.readTextFile(script);
    assert.ok(!scriptText.includes("-Widget"), "diff lines come from the tool, not the script");
    assert.doesNotMatch(body, /About us/, "an unchanged page adds no diff");
    const metrics = Object.fromEntries(
      kernel.hands.instance("collector").metrics.map((m) => [m.memory_key, m.display]),
    );
    // The graph holds the page, what it mentions, and the latest state (properties merged).
    const agentId = kernel.hands.instance("collector").agent_id;
    const graph = kernel.knowledge.query(agentId, { entity: shop });
    assert.equal(graph.entity.type, "page");
    assert.deepEqual(graph.neighbours?.map((n) => [n.name, n.type, n.properties]), [
      ["Widget", "product", { price: "12 EUR" }],
    ]);
    assert.deepEqual(graph.relations?.map((r) => r.type), ["mentions"]);
    const refused = kernel.audit.list({ agent_id: agentId, action: "capability.denied" });
    assert.equal(refused.entries.length, 0, "the Hand's capabilities cover the graph tools");
    assert.deepEqual(metrics, {
      "page_diff.checked": "4",
      "page_diff.changes": "1",
      "reports.count": "2",
    });
  }, { config: LOCAL_WEB });
});

Deno.test("predictor: the Brier score Talon computes from the rows equals one computed by hand", async () => {
  await withKernel(async (kernel, dir) => {
    const record = (id: string, probability: number) => ({
      name: "forecast_record",
      args: { id, question: `Will event ${id} happen?`, probability, resolve_by: "2099-01-01" },
    });
    const resolve = (id: string, outcome: boolean) => ({
      name: "forecast_resolve",
      args: { id, outcome, source: "https://example.com/settled" },
    });
    const script = await writeScript(dir, {
      turns: [{
        match: ".*",
        steps: [
          { tool_calls: [record("a", 0.8), record("b", 0.3), record("c", 0.6), record("d", 0.5)] },
          { tool_calls: [resolve("a", true), resolve("b", false), resolve("c", false)] },
          {
            tool_calls: [{
              name: "report_write",
              args: { title: "Forecasts", body: "resolved 3" },
            }],
          },
          { text: "done" },
        ],
      }],
    });
    kernel.hands.activate("predictor", {
      settings: { domain: "events" },
      model: `script:${script}`,
    });
    kernel.hands.run("predictor");
    const [run] = await runsSettled(kernel, "predictor");
    assert.equal(run!.outcome, "ok");
    // (0.8 − 1)² + (0.3 − 0)² + (0.6 − 0)² = 0.04 + 0.09 + 0.36 = 0.49, over 3 resolved.
    const expected = 0.49 / 3;
    const metrics = kernel.hands.instance("predictor").metrics;
    const brier = metrics.find((m) => m.memory_key === "forecast.brier")!;
    assert.ok(Math.abs(Number(brier.raw) - expected) < 1e-12, `${brier.raw} vs ${expected}`);
    assert.equal(brier.display, "0.1633");
    assert.deepEqual(
      metrics.filter((m) => m.format === "integer").map((m) => [m.memory_key, m.display]),
      [["forecast.resolved", "3"], ["forecast.open", "1"]],
    );
    assert.equal(kernel.reports.list({ instance: "predictor" }).length, 1);
  });
});
