import assert from "node:assert/strict";
import { createApp } from "../../http/app.ts";
import { countWebSessionsOfToken } from "../../kernel/store/mod.ts";
import { LoginResult, SessionInfo } from "../../kernel/types.ts";
import { withKernel } from "../kernel/fixtures.ts";
import { call, login, withApi } from "./http_fixtures.ts";

function errorCode(body: Record<string, unknown>): string {
  return (body.error as { code: string }).code;
}

Deno.test("POST /api/auth/login sets an HttpOnly SameSite=Strict session cookie that authenticates with the token's role", async () => {
  await withApi(async (f) => {
    const r = await call(f, "POST", "/api/auth/login", {
      body: JSON.stringify({ token: f.tokens.operator }),
    });
    assert.equal(r.status, 200);
    const result = LoginResult.parse(r.body);
    assert.equal(result.role, "operator");
    assert.ok(Date.parse(result.expires_at) > Date.now() + 11 * 3_600_000, "default ttl 12 h");
    const cookie = r.headers.get("set-cookie")!;
    const id = /^talon_session=([A-Za-z0-9_-]{43});/.exec(cookie)?.[1];
    assert.ok(id, cookie);
    for (const attribute of ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"]) {
      assert.ok(cookie.split("; ").includes(attribute), `${attribute} in ${cookie}`);
    }
    assert.ok(!/secure/i.test(cookie), "no Secure flag over plain http");
    assert.ok(!r.text.includes(id), "the session id is only in the cookie");

    const me = await call(f, "GET", "/api/auth/session", { session: id });
    assert.equal(me.status, 200);
    assert.deepEqual(SessionInfo.parse(me.body), {
      token_id: result.token_id,
      role: "operator",
      via: "cookie",
    });
    const bearer = await call(f, "GET", "/api/auth/session", { token: f.tokens.admin });
    assert.equal(bearer.body.via, "bearer");
    assert.equal(bearer.body.role, "admin");

    const origin = { origin: f.server.url };
    const spawned = await call(f, "POST", "/api/agents", {
      session: id,
      headers: origin,
      body: JSON.stringify({ name: "via-cookie" }),
    });
    assert.equal(spawned.status, 201, spawned.text);
    const admin = await call(f, "GET", "/api/tokens", { session: id });
    assert.equal(admin.status, 403);
    assert.match((admin.body.error as { message: string }).message, /needs the admin role/);

    const stored = f.kernel.db.prepare("SELECT * FROM web_sessions").all();
    assert.equal(stored.length, 1);
    assert.ok(!JSON.stringify(stored).includes(id), "only a hash of the id is stored");
  });
});

Deno.test("a bad token logs nobody in: 401 (or 400 for a malformed body) and no cookie", async () => {
  await withApi(async (f) => {
    const revoked = await f.kernel.tokens.create({ actor: "test", role: "admin", name: "old" });
    f.kernel.tokens.revoke(revoked.id, { actor: "test" });
    const wrongSecret = f.tokens.admin.slice(0, -1) + (f.tokens.admin.endsWith("A") ? "B" : "A");
    for (
      const token of ["nope", wrongSecret, revoked.token, "tln_000000000000_" + "A".repeat(43)]
    ) {
      const r = await call(f, "POST", "/api/auth/login", { body: JSON.stringify({ token }) });
      assert.equal(r.status, 401, token);
      assert.equal(errorCode(r.body), "unauthorized");
      assert.equal(r.headers.get("set-cookie"), null);
    }
    for (const body of ["{}", JSON.stringify({ token: "x", role: "admin" }), "{nope"]) {
      const r = await call(f, "POST", "/api/auth/login", { body });
      assert.equal(r.status, 400, body);
      assert.equal(errorCode(r.body), "invalid_input");
      assert.equal(r.headers.get("set-cookie"), null);
    }
    assert.equal(f.kernel.db.prepare("SELECT * FROM web_sessions").all().length, 0);
  });
});

Deno.test("a login from another site is refused, so no page can log a visitor in", async () => {
  await withApi(async (f) => {
    const body = JSON.stringify({ token: f.tokens.viewer });
    for (
      const headers of <Record<string, string>[]> [
        { origin: "https://evil.example" },
        { "sec-fetch-site": "cross-site" },
        { "sec-fetch-site": "same-site" },
      ]
    ) {
      const r = await call(f, "POST", "/api/auth/login", { body, headers });
      assert.equal(r.status, 403, JSON.stringify(headers));
      assert.equal(errorCode(r.body), "csrf_rejected");
      assert.equal(r.headers.get("set-cookie"), null);
    }
    const same = await call(f, "POST", "/api/auth/login", {
      body,
      headers: { origin: f.server.url, "sec-fetch-site": "same-origin" },
    });
    assert.equal(same.status, 200);
  });
});

Deno.test("POST /api/auth/logout ends the session and clears the cookie", async () => {
  await withApi(async (f) => {
    const id = await login(f, f.tokens.viewer);
    const out = await call(f, "POST", "/api/auth/logout", {
      session: id,
      headers: { origin: f.server.url },
    });
    assert.equal(out.status, 204);
    const cleared = out.headers.get("set-cookie")!;
    assert.match(cleared, /^talon_session=;/);
    assert.ok(cleared.split("; ").includes("Max-Age=0"), cleared);
    const after = await call(f, "GET", "/api/auth/session", { session: id });
    assert.equal(after.status, 401);
    assert.equal(f.kernel.db.prepare("SELECT * FROM web_sessions").all().length, 0);
  });
});

Deno.test("logging in again replaces the previous session", async () => {
  await withApi(async (f) => {
    const first = await login(f, f.tokens.viewer);
    const res = await fetch(`${f.server.url}/api/auth/login`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        cookie: `talon_session=${first}`,
        origin: f.server.url,
      },
      body: JSON.stringify({ token: f.tokens.admin }),
    });
    assert.equal(res.status, 200);
    await res.body?.cancel();
    assert.equal((await call(f, "GET", "/api/auth/session", { session: first })).status, 401);
  });
});

Deno.test("revoking a token ends its dashboard sessions at once", async () => {
  await withApi(async (f) => {
    const id = await login(f, f.tokens.operator);
    const me = await call(f, "GET", "/api/auth/session", { session: id });
    assert.equal(me.status, 200);
    const tokenId = me.body.token_id as string;
    const revoked = await call(f, "DELETE", `/api/tokens/${tokenId}`, { token: f.tokens.admin });
    assert.equal(revoked.status, 200);
    const after = await call(f, "GET", "/api/agents", { session: id });
    assert.equal(after.status, 401);
    assert.equal(errorCode(after.body), "unauthorized");
    assert.equal(countWebSessionsOfToken(f.kernel.db, tokenId), 0);
    const bearer = await call(f, "GET", "/api/agents", { token: f.tokens.operator });
    assert.equal(bearer.status, 401, "and the token itself no longer works");
  });
});

Deno.test("a header that is present decides alone: a bad Authorization never falls back to the cookie", async () => {
  await withApi(async (f) => {
    const id = await login(f, f.tokens.admin);
    for (const authorization of ["Bearer nope", "Basic abc", "Bearer"]) {
      const res = await fetch(`${f.server.url}/api/status`, {
        headers: { authorization, cookie: `talon_session=${id}` },
      });
      assert.equal(res.status, 401, authorization);
      await res.body?.cancel();
    }
  });
});

Deno.test("the session cookie is Secure when the request came over https", async () => {
  await withKernel(async (kernel) => {
    const token = await kernel.tokens.create({ actor: "test", role: "viewer", name: "v" });
    const app = createApp(kernel);
    const res = await app.request("https://talon.example/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: token.token }),
    });
    assert.equal(res.status, 200);
    await res.body?.cancel();
    assert.ok(res.headers.get("set-cookie")!.split("; ").includes("Secure"));
  });
});
