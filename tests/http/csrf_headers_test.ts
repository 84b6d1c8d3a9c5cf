import assert from "node:assert/strict";
import { createApp } from "../../http/app.ts";
import { withKernel } from "../kernel/fixtures.ts";
import { call, login, withApi } from "./http_fixtures.ts";

const CSP = new RegExp(
  "^default-src 'self'; script-src 'self' 'nonce-([A-Za-z0-9+/=]{24})' 'strict-dynamic'; style-src 'self'; " +
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; " +
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'$",
);

Deno.test("a cookie-authenticated mutation must come from this origin, else 403 csrf_rejected; Bearer is exempt", async () => {
  await withApi(async (f) => {
    const session = await login(f, f.tokens.operator);
    const own = f.server.url;
    let n = 0;
    const spawn = (headers: Record<string, string>, options: { type?: string } = {}) =>
      call(f, "POST", "/api/agents", {
        session,
        headers,
        type: options.type,
        body: JSON.stringify({ name: `a${++n}` }),
      });
    const refused: [Record<string, string>, string?][] = [
      [{}],
      [{ origin: "https://evil.example" }],
      [{ origin: "null" }],
      [{ origin: "null", "sec-fetch-site": "cross-site" }],
      [{ origin: own.replace("127.0.0.1", "localhost") }],
      [{ origin: "https://evil.example", "sec-fetch-site": "same-origin" }],
      [{ "sec-fetch-site": "cross-site" }],
      [{ "sec-fetch-site": "same-site" }],
      [{ "sec-fetch-site": "none" }],
      [{ origin: "https://evil.example" }, "text/plain"],
      [{ origin: "https://evil.example" }, "application/x-www-form-urlencoded"],
    ];
    for (const [headers, type] of refused) {
      const r = await spawn(headers, { type });
      const what = `${JSON.stringify(headers)} ${type ?? ""}`;
      assert.equal(r.status, 403, what);
      assert.equal((r.body.error as { code: string }).code, "csrf_rejected", what);
    }
    assert.equal(f.kernel.agents.list().length, 0, "nothing was spawned");

    assert.equal((await spawn({ origin: own })).status, 201);
    assert.equal((await spawn({ "sec-fetch-site": "same-origin" })).status, 201);
    const plainForm = { origin: "null", "sec-fetch-site": "same-origin" };
    assert.equal((await spawn(plainForm)).status, 201, "a browser's plain form POST (no-referrer)");
    const cross = { origin: "https://evil.example" };
    const read = await call(f, "GET", "/api/agents", { session, headers: cross });
    assert.equal(read.status, 200, "safe methods need no origin check");
    for (
      const [method, path] of [["DELETE", "/api/agents/a12"], ["POST", "/api/agents/a12/pause"]]
    ) {
      const r = await call(f, method, path, { session, headers: cross });
      assert.equal(r.status, 403, `${method} ${path}`);
    }
    const logout = await call(f, "POST", "/api/auth/logout", { session, headers: cross });
    assert.equal(logout.status, 403, "a forged logout is refused too");

    const bearer = await call(f, "POST", "/api/agents", {
      token: f.tokens.operator,
      headers: cross,
      body: JSON.stringify({ name: "bearer" }),
    });
    assert.equal(bearer.status, 201, "Bearer requests are not CSRF-able");
  });
});

Deno.test("every response carries a CSP with a fresh nonce, X-Frame-Options DENY, nosniff and Referrer-Policy; /api answers are no-store", async () => {
  await withApi(async (f) => {
    const responses = [
      await call(f, "GET", "/api/health"),
      await call(f, "GET", "/api/health"),
      await call(f, "GET", "/api/agents"),
      await call(f, "GET", "/api/tokens", { token: f.tokens.viewer }),
      await call(f, "GET", "/api/agents", { token: f.tokens.viewer }),
      await call(f, "GET", "/api/nowhere", { token: f.tokens.viewer }),
      await call(f, "POST", "/api/agents", {
        token: f.tokens.admin,
        body: JSON.stringify({ name: "x".repeat(2_000_000) }),
      }),
    ];
    assert.deepEqual(responses.map((r) => r.status), [200, 200, 401, 403, 200, 404, 413]);
    const nonces = new Set<string>();
    for (const r of responses) {
      const csp = r.headers.get("content-security-policy") ?? "";
      const nonce = CSP.exec(csp)?.[1];
      assert.ok(nonce, csp);
      assert.ok(!csp.includes("unsafe-inline") && !csp.includes("unsafe-eval"));
      nonces.add(nonce);
      assert.equal(r.headers.get("x-frame-options"), "DENY");
      assert.equal(r.headers.get("x-content-type-options"), "nosniff");
      assert.equal(r.headers.get("referrer-policy"), "no-referrer");
      assert.match(r.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/);
      assert.equal(r.headers.get("x-powered-by"), null);
    }
    assert.equal(nonces.size, responses.length, "a fresh nonce on every response");
    for (const r of responses) assert.equal(r.headers.get("cache-control"), "no-store");
  });
});

Deno.test('the CSP nonce is what pages read from c.get("secureHeadersNonce")', async () => {
  await withKernel(async (kernel) => {
    const app = createApp(kernel);
    app.get("/nonce-probe", (c) => c.text(c.get("secureHeadersNonce") ?? "none"));
    const res = await app.request("http://talon.test/nonce-probe");
    const body = await res.text();
    assert.equal(CSP.exec(res.headers.get("content-security-policy")!)?.[1], body);
    assert.equal(res.headers.get("cache-control"), null, "only /api is no-store");
  });
});
