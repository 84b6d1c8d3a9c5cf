import assert from "node:assert/strict";
import { call, withApi } from "./http_fixtures.ts";

Deno.test("memory API: operators write kv (URL-encoded keys) and facts, viewers read, search and stats", async () => {
  await withApi(async (f) => {
    const agent = f.kernel.agents.spawn({ name: "mem", capabilities: ["memory_read"] });
    const base = `/api/agents/${agent.name}/memory`;
    const key = encodeURIComponent("user/lang?x=1");
    const { operator, viewer } = f.tokens;
    const body = JSON.stringify({ text: "English" });
    assert.equal((await call(f, "PUT", `${base}/kv/${key}`, { token: viewer, body })).status, 403);
    const put = await call(f, "PUT", `${base}/kv/${key}`, { token: operator, body });
    assert.equal(put.status, 200);
    assert.equal(put.body.key, "user/lang?x=1");
    assert.equal(
      (await call(f, "GET", `${base}/kv/${key}`, { token: viewer })).body.text,
      "English",
    );
    const fact = await call(f, "POST", `${base}/facts`, {
      token: operator,
      body: JSON.stringify({ text: "The user speaks English fluently" }),
    });
    assert.equal(fact.status, 201);
    const search = await call(f, "GET", `${base}/search?q=english`, { token: viewer });
    assert.equal(search.status, 200);
    assert.equal(search.body.mode, "bm25");
    assert.deepEqual((search.body.hits as { kind: string }[]).map((h) => h.kind), ["fact", "kv"]);
    const stats = await call(f, "GET", `${base}/stats`, { token: viewer });
    assert.equal((stats.body.agents as { facts: number }[])[0]!.facts, 1);
    assert.equal((await call(f, "GET", "/api/memory/stats", { token: viewer })).status, 200);
    assert.equal((await call(f, "GET", `${base}/graph`, { token: viewer })).status, 200);
    assert.equal((await call(f, "GET", `${base}/tools`, { token: viewer })).status, 200);
    const del = await call(f, "DELETE", `${base}/facts/${fact.body.id}`, { token: operator });
    assert.deepEqual(del.body, { deleted: true });
    assert.equal((await call(f, "DELETE", `${base}/kv/${key}`, { token: operator })).status, 200);
    assert.equal((await call(f, "GET", `${base}/kv/${key}`, { token: viewer })).status, 404);
  });
});

Deno.test("memory API: bad input is a 400 naming the field, and nothing is written", async () => {
  await withApi(async (f) => {
    const agent = f.kernel.agents.spawn({ name: "mem" });
    const base = `/api/agents/${agent.id}/memory`;
    const token = f.tokens.operator;
    const bad: [string, string, string | undefined, string][] = [
      ["POST", `${base}/facts`, JSON.stringify({ text: "" }), "text"],
      ["POST", `${base}/facts`, JSON.stringify({ text: "x", scope: "world" }), "scope"],
      ["POST", `${base}/facts`, JSON.stringify({ text: "x", confidence: 2 }), "confidence"],
      ["POST", `${base}/facts`, JSON.stringify({ text: "x", extra: 1 }), "extra"],
      ["PUT", `${base}/kv/k`, JSON.stringify({ text: "" }), "text"],
      ["PUT", `${base}/kv/${"k".repeat(201)}`, JSON.stringify({ text: "v" }), ""],
      ["GET", `${base}/search?q=`, undefined, "q"],
      ["GET", `${base}/search?q=x&kind=bogus`, undefined, "kind"],
      ["GET", `${base}/facts?limit=0`, undefined, "limit"],
      ["GET", `${base}/tools?tool=Bad-Name`, undefined, "tool"],
      ["DELETE", `${base}/facts/abc`, undefined, "id"],
    ];
    for (const [method, path, body, field] of bad) {
      const res = await call(f, method, path, { token, body });
      assert.equal(res.status, 400, `${method} ${path}: ${res.text}`);
      const error = res.body.error as { code: string; fields?: Record<string, string> };
      assert.equal(error.code, "invalid_input");
      if (field) assert.ok(error.fields?.[field], `${method} ${path} names ${field}: ${res.text}`);
    }
    assert.equal((await call(f, "POST", `${base}/facts`, { token, body: "{" })).status, 400);
    const missing = await call(f, "GET", `/api/agents/nobody/memory/facts`, { token });
    assert.equal(missing.status, 404);
    const stats = f.kernel.memoryStats(agent.id).agents[0]!;
    assert.equal(stats.facts + stats.kv_entries, 0);
  });
});

Deno.test("memory API: people's writes are audited with their actor; refused writes leave no entry", async () => {
  await withApi(async (f) => {
    const agent = f.kernel.agents.spawn({ name: "mem" });
    const base = `/api/agents/${agent.id}/memory`;
    const token = f.tokens.operator;
    const actions = () =>
      f.kernel.audit.list({ agent_id: agent.id, limit: 50 }).entries
        .filter((e) => e.action.startsWith("memory."))
        .map((e) => [e.action, e.actor, e.detail]);

    await call(f, "PUT", `${base}/kv/lang`, { token, body: JSON.stringify({ text: "English" }) });
    const fact = await call(f, "POST", `${base}/facts`, {
      token,
      body: JSON.stringify({ text: "The user lives in Lyon" }),
    });
    await call(f, "DELETE", `${base}/facts/${fact.body.id}`, { token });
    await call(f, "DELETE", `${base}/kv/lang`, { token });
    const recorded = actions().reverse();
    assert.deepEqual(recorded.map(([action]) => action), [
      "memory.set",
      "memory.remember",
      "memory.forget",
      "memory.delete",
    ]);
    assert.ok(
      recorded.every(([, actor]) => /^token:/.test(String(actor))),
      JSON.stringify(recorded),
    );
    assert.deepEqual(recorded[0]![2], { key: "lang", bytes: 7 });
    assert.deepEqual(recorded[2]![2], { fact_id: fact.body.id });

    // Refusals: not found, bad input — nothing audited, nothing written.
    assert.equal((await call(f, "DELETE", `${base}/kv/lang`, { token })).status, 404);
    assert.equal((await call(f, "DELETE", `${base}/facts/${fact.body.id}`, { token })).status, 404);
    assert.equal(
      (await call(f, "PUT", `${base}/kv/k`, { token, body: JSON.stringify({ text: "" }) })).status,
      400,
    );
    assert.equal(actions().length, 4);
    assert.ok(f.kernel.audit.verify().ok);
  });
});
