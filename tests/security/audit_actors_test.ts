/**
 * Attack suite, system 13 (audit chain): every state change leaves an audit
 * entry naming its actor, and refused requests leave none — only a
 * rate-limited log line — so a flood of bad credentials cannot fill the chain.
 *
 * @module
 */
import assert from "node:assert/strict";
import { call, login, withApi } from "../http/http_fixtures.ts";

Deno.test("audit: pause, resume, stop, kill and purge over the API name the token that did them", async () => {
  await withApi(async (f) => {
    const operatorId = (await f.kernel.tokens.verify(f.tokens.operator))!.id;
    const spawned = await call(f, "POST", "/api/agents", {
      token: f.tokens.operator,
      body: JSON.stringify({ name: "acted" }),
    });
    const id = spawned.body.id as string;
    for (const step of ["pause", "resume", "stop"]) {
      const r = await call(f, "POST", `/api/agents/${id}/${step}`, { token: f.tokens.operator });
      assert.equal(r.status, 200, r.text);
    }
    await call(f, "DELETE", `/api/agents/${id}`, { token: f.tokens.operator });
    const purged = await call(f, "POST", "/api/agents/purge", { token: f.tokens.operator });
    assert.equal(purged.body.purged, 1);
    const entries = f.kernel.audit.list({ limit: 50 }).entries;
    for (const action of ["agent.pause", "agent.resume", "agent.kill", "agent.purge"]) {
      const entry = entries.find((e) => e.action === action);
      assert.ok(entry, `${action} is audited`);
      assert.equal(entry.actor, `token:${operatorId}`, `${action} names its actor`);
    }
  });
});

Deno.test("audit: token create and revoke, login and logout are on the chain with their actor", async () => {
  await withApi(async (f) => {
    const adminId = (await f.kernel.tokens.verify(f.tokens.admin))!.id;
    const created = await call(f, "POST", "/api/tokens", {
      token: f.tokens.admin,
      body: JSON.stringify({ role: "viewer", name: "temp" }),
    });
    assert.equal(created.status, 201, created.text);
    const session = await login(f, created.body.token as string);
    const out = await call(f, "POST", "/api/auth/logout", {
      session,
      headers: { origin: f.server.url },
    });
    assert.ok(out.status < 300, out.text);
    await call(f, "DELETE", `/api/tokens/${created.body.id}`, { token: f.tokens.admin });
    const entries = f.kernel.audit.list({ limit: 50 }).entries;
    const of = (action: string) => entries.find((e) => e.action === action);
    assert.equal(of("token.create")?.actor, `token:${adminId}`);
    assert.equal((of("token.create")?.detail as { token_id: string }).token_id, created.body.id);
    assert.equal(of("token.revoke")?.actor, `token:${adminId}`);
    assert.equal(of("auth.login")?.actor, `token:${created.body.id}`);
    assert.equal(of("auth.logout")?.actor, `token:${created.body.id}`);
    const verify = f.kernel.audit.verify();
    assert.equal(verify.ok, true);
  });
});

Deno.test("audit: a flood of bad credentials and role refusals writes no audit entry, one log line per kind", async () => {
  const lines: string[] = [];
  await withApi(async (f) => {
    const before = f.kernel.audit.list({ limit: 500 }).entries.length;
    for (let i = 0; i < 4; i++) {
      const bad = await call(f, "GET", "/api/agents", { token: `tln_bogus${i}_xxxxxxxxxx` });
      assert.ok(bad.status === 401 || bad.status === 429, bad.text);
      const low = await call(f, "POST", "/api/tokens", {
        token: f.tokens.viewer,
        body: JSON.stringify({ role: "admin", name: "x" }),
      });
      assert.equal(low.status, 403);
    }
    assert.equal(f.kernel.audit.list({ limit: 500 }).entries.length, before);
  }, { logSink: (line) => lines.push(line), logLevel: "warn" });
  const refused = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === "request refused");
  assert.deepEqual(refused.map((l) => l.code).sort(), ["forbidden", "unauthorized"]);
});
