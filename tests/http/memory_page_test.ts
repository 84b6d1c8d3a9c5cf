import assert from "node:assert/strict";
import { fetchPage, sessionCookie, withApi } from "./http_fixtures.ts";

Deno.test("the Memory tab shows search, facts, kv, the graph as SVG and tool history; operators add and forget", async () => {
  await withApi(async (f) => {
    const agent = f.kernel.agents.spawn({ name: "pager", capabilities: ["memory_read"] });
    await f.kernel.memory.remember(agent, { text: "Owls <b>hunt</b> at night" }, { source: "t" });
    f.kernel.memory.setKv(agent.id, "pet", { text: "an owl" });
    f.kernel.knowledge.add(agent.id, { name: "Hedwig", type: "owl" });
    f.kernel.knowledge.add(agent.id, { name: "Harry", type: "person" });
    f.kernel.knowledge.relate(agent.id, { from: "Hedwig", type: "belongs_to", to: "Harry" });
    const viewer = await sessionCookie(f, "viewer");
    const overview = await fetchPage(f, `/agents/${agent.id}`, { cookie: viewer });
    assert.match(overview.text, /href="\/agents\/[^"]+\/memory"/);
    const tab = await fetchPage(f, `/agents/${agent.id}/memory?q=owls`, { cookie: viewer });
    assert.equal(tab.status, 200);
    assert.match(tab.text, /Recall is BM25 only/);
    assert.match(tab.text, /Owls &lt;b>hunt&lt;\/b> at night/);
    assert.match(tab.text, /<svg[^>]*graph-svg/);
    assert.match(tab.text, /belongs_to/);
    assert.match(tab.text, /an owl/);
    assert.doesNotMatch(tab.text, /value="forget"/, "viewers get no forget buttons");

    const operator = await sessionCookie(f, "operator");
    const origin = f.server.url;
    const added = await fetchPage(f, `/agents/${agent.id}/memory`, {
      cookie: operator,
      origin,
      form: { action: "remember", text: "Owls can turn their heads far" },
    });
    assert.equal(added.status, 303);
    assert.equal(f.kernel.memory.listFacts(agent.id, {}).facts.length, 2);
    const bad = await fetchPage(f, `/agents/${agent.id}/memory`, {
      cookie: operator,
      origin,
      form: { action: "remember", text: "   " },
    });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /role="alert"/);
    const id = f.kernel.memory.listFacts(agent.id, {}).facts[0]!.id;
    await fetchPage(f, `/agents/${agent.id}/memory`, {
      cookie: operator,
      origin,
      form: { action: "forget", id: String(id) },
    });
    assert.equal(f.kernel.memory.listFacts(agent.id, {}).facts.length, 1);
  });
});
