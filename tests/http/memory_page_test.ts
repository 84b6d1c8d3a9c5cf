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

Deno.test("the Memory tab lists sessions with exports; operators relabel and switch them, audited", async () => {
  await withApi(async (f) => {
    const agent = f.kernel.agents.spawn({ name: "sessions" });
    const first = f.kernel.sessions.reset(agent.id, { label: "onboarding" }).session;
    const second = f.kernel.sessions.reset(agent.id, { label: "second <week>" }).session;
    const self = `/agents/${agent.id}/memory`;
    const viewer = await sessionCookie(f, "viewer");
    const tab = await fetchPage(f, self, { cookie: viewer });
    assert.match(tab.text, /id="memory-sessions-title"/);
    assert.match(tab.text, /onboarding/);
    assert.match(tab.text, /second &lt;week>/);
    assert.match(tab.text, new RegExp(`sessions/${first.id}/export\\?format=md`));
    assert.match(tab.text, /data-current="true"/);
    assert.doesNotMatch(tab.text, /value="session_switch"/, "viewers get no session forms");
    const exported = await fetchPage(
      f,
      `/api/agents/${agent.id}/sessions/${first.id}/export?format=md`,
      {
        cookie: viewer,
      },
    );
    assert.equal(exported.status, 200, "the export link works with the dashboard's cookie");

    const operator = await sessionCookie(f, "operator");
    const origin = f.server.url;
    const post = (form: Record<string, string>) =>
      fetchPage(f, self, { cookie: operator, origin, form });
    assert.equal((await post({ action: "session_switch", session_id: first.id })).status, 303);
    assert.equal(f.kernel.sessions.get(agent.id, first.id).current, true);
    assert.equal(
      (await post({ action: "session_label", session_id: second.id, label: "week two" })).status,
      303,
    );
    assert.equal(f.kernel.sessions.get(agent.id, second.id).label, "week two");
    const audited = f.kernel.audit.list({ agent_id: agent.id, limit: 10 }).entries
      .filter((e) => e.action === "session.switch" || e.action === "session.label");
    assert.deepEqual(audited.map((e) => e.action), ["session.label", "session.switch"]);
    assert.ok(audited.every((e) => e.actor !== "system"), "the person is named");

    // Bad input: re-rendered with the message, nothing changed.
    const bad: Record<string, string>[] = [
      { action: "session_switch", session_id: "not-a-uuid" },
      { action: "session_label", session_id: second.id, label: "x".repeat(201) },
      { action: "session_switch", session_id: crypto.randomUUID() },
    ];
    for (const form of bad) {
      const res = await post(form);
      assert.ok(res.status === 400 || res.status === 404, `${JSON.stringify(form)}: ${res.status}`);
      assert.match(res.text, /role="alert"/);
    }
    assert.equal(f.kernel.sessions.get(agent.id, first.id).current, true);
    assert.equal(f.kernel.sessions.get(agent.id, second.id).label, "week two");
  });
});
