import assert from "node:assert/strict";
import { parseToken } from "../../kernel/security/mod.ts";
import { call, login, withApi } from "./http_fixtures.ts";

const LOCAL = "local-credential-for-the-request-log-test-0123456789";

Deno.test("request logs name the request id, method, path, status, duration and token id — never a token, credential or session id", async () => {
  const lines: string[] = [];
  await withApi(async (f) => {
    const viewerId = parseToken(f.tokens.viewer)!.id;
    const adminId = parseToken(f.tokens.admin)!.id;
    const listed = await call(f, "GET", "/api/agents", { token: f.tokens.viewer });
    const session = await login(f, f.tokens.admin);
    await call(f, "GET", "/api/auth/session", { session });
    await call(f, "GET", "/api/agents", { token: f.tokens.viewer.slice(0, -1) + "x" });
    await call(f, "GET", "/api/status", { token: LOCAL });
    await call(f, "POST", "/api/auth/login", {
      body: JSON.stringify({ token: f.tokens.operator }),
    });
    const fresh = await call(f, "POST", "/api/tokens", {
      token: f.tokens.admin,
      body: JSON.stringify({ role: "viewer", name: "fresh" }),
    });

    const records = lines.map((l) => JSON.parse(l)).filter((r) => r.msg === "request");
    assert.equal(records.length, 7);
    for (const r of records) {
      assert.match(r.request_id, /^[0-9a-f-]{36}$/);
      assert.equal(typeof r.method, "string");
      assert.equal(typeof r.path, "string");
      assert.equal(typeof r.status, "number");
      assert.equal(typeof r.ms, "number");
      assert.ok("token_id" in r);
    }
    assert.deepEqual(
      records.map((r) => [r.method, r.path, r.status, r.token_id]),
      [
        ["GET", "/api/agents", 200, viewerId],
        ["POST", "/api/auth/login", 200, null],
        ["GET", "/api/auth/session", 200, adminId],
        ["GET", "/api/agents", 401, null],
        ["GET", "/api/status", 200, "local"],
        ["POST", "/api/auth/login", 200, null],
        ["POST", "/api/tokens", 201, adminId],
      ],
    );
    assert.equal(records[0].request_id, listed.headers.get("x-request-id"));

    const output = lines.join("\n");
    const secrets = [...Object.values(f.tokens), LOCAL, session, fresh.body.token as string];
    for (const secret of secrets) {
      assert.ok(!output.includes(secret), "a secret reached the log");
      assert.ok(!output.includes(secret.slice(-20)), "part of a secret reached the log");
    }
  }, { logLevel: "info", logSink: (line) => lines.push(line), localCredential: LOCAL });
});
