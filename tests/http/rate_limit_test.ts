import assert from "node:assert/strict";
import { FixedWindowLimiter } from "../../http/rate_limit.ts";
import { type ApiFixture, call, login, withApi } from "./http_fixtures.ts";

const LOCAL = "local-credential-for-the-rate-limit-test-0123456789";

function retryAfter(
  r: { status: number; headers: Headers; body: Record<string, unknown> },
): number {
  assert.equal(r.status, 429);
  assert.equal((r.body.error as { code: string }).code, "rate_limited");
  const seconds = Number(r.headers.get("retry-after"));
  assert.ok(Number.isInteger(seconds) && seconds >= 1 && seconds <= 60, `Retry-After ${seconds}`);
  return seconds;
}

async function statuses(
  f: ApiFixture,
  n: number,
  options: Parameters<typeof call>[3],
  path = "/api/status",
): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await call(f, "GET", path, options)).status);
  return out;
}

Deno.test("FixedWindowLimiter allows `limit` per window, says how long to wait, and refunds", () => {
  let now = 1000;
  const limiter = new FixedWindowLimiter({ limit: 3, windowMs: 60_000, now: () => now });
  assert.deepEqual([1, 2, 3].map(() => limiter.take("k")), [0, 0, 0]);
  now += 15_000;
  assert.equal(limiter.take("k"), 45_000);
  assert.equal(limiter.take("other"), 0, "keys are independent");
  limiter.refund("k");
  assert.equal(limiter.take("k"), 0);
  assert.equal(limiter.take("k"), 45_000);
  assert.equal(limiter.wait("k"), 45_000);
  now += 45_000;
  assert.equal(limiter.wait("k"), 0);
  assert.equal(limiter.take("k"), 0, "a new window");
  assert.equal(limiter.wait("k"), 0, "wait() counts nothing");
  assert.equal(limiter.take("k"), 0);
  assert.throws(() => new FixedWindowLimiter({ limit: 0 }), RangeError);
});

Deno.test("FixedWindowLimiter holds at most maxKeys buckets and drops expired ones first", () => {
  let now = 0;
  const limiter = new FixedWindowLimiter({
    limit: 1,
    windowMs: 1000,
    maxKeys: 100,
    now: () => now,
  });
  for (let i = 0; i < 10_000; i++) limiter.take(`ip-${i}`);
  assert.equal(limiter.size, 100);
  assert.ok(limiter.take("ip-9999") > 0, "the newest keys are still counted");
  now += 1000;
  limiter.take("fresh");
  assert.equal(limiter.size, 1, "expired buckets are dropped as new keys arrive");
});

Deno.test("per-token limit: 429 with Retry-After once a token (and its sessions) used its minute; other tokens and the local credential go on", async () => {
  await withApi(async (f) => {
    const session = await login(f, f.tokens.viewer);
    assert.deepEqual(await statuses(f, 2, { token: f.tokens.viewer }), [200, 200]);
    assert.deepEqual(await statuses(f, 1, { session }), [200]);
    const limited = await call(f, "GET", "/api/agents", { token: f.tokens.viewer });
    retryAfter(limited);
    assert.match((limited.body.error as { message: string }).message, /with this token/);
    retryAfter(await call(f, "GET", "/api/status", { session }));
    assert.deepEqual(await statuses(f, 3, { token: f.tokens.operator }), [200, 200, 200]);
    assert.deepEqual(await statuses(f, 10, { token: LOCAL }), Array(10).fill(200));
  }, {
    localCredential: LOCAL,
    config: "[http.rate_limit]\nrequests_per_minute = 3\nper_ip_per_minute = 1000\n",
  });
});

Deno.test("per-IP limit counts every request, authenticated or not, except /api/health and the local credential", async () => {
  await withApi(async (f) => {
    assert.deepEqual(await statuses(f, 3, {}), [401, 401, 401]);
    assert.deepEqual(await statuses(f, 2, { token: f.tokens.admin }), [200, 200]);
    const limited = await call(f, "GET", "/api/status", { token: f.tokens.operator });
    retryAfter(limited);
    assert.match((limited.body.error as { message: string }).message, /from this address/);
    retryAfter(await call(f, "GET", "/api/status"));
    assert.deepEqual(await statuses(f, 10, {}, "/api/health"), Array(10).fill(200));
    assert.deepEqual(await statuses(f, 10, { token: LOCAL }), Array(10).fill(200));
  }, {
    localCredential: LOCAL,
    config: "[http.rate_limit]\nper_ip_per_minute = 5\n",
  });
});

Deno.test("failed logins are limited per IP more strictly; successful ones are not counted", async () => {
  await withApi(async (f) => {
    const attempt = (token: string) =>
      call(f, "POST", "/api/auth/login", { body: JSON.stringify({ token }) });
    for (let i = 0; i < 5; i++) assert.equal((await attempt(f.tokens.viewer)).status, 200);
    assert.equal((await attempt("tln_guess")).status, 401);
    assert.equal((await attempt("tln_guess")).status, 401);
    const limited = await attempt(f.tokens.viewer);
    retryAfter(limited);
    assert.equal(limited.headers.get("set-cookie"), null, "even the right token is refused now");
    const bearer = await call(f, "GET", "/api/status", { token: f.tokens.viewer });
    retryAfter(bearer);
    assert.match(
      (bearer.body.error as { message: string }).message,
      /invalid credentials from this address/,
      "Bearer tokens from that address wait too",
    );
  }, { config: "[http.rate_limit]\nlogin_per_minute = 2\n" });
});

Deno.test("invalid Bearer tokens count as failed credentials: past the limit the address gets 429 before any token check", async () => {
  await withApi(async (f) => {
    const wrong = f.tokens.admin.slice(0, -1) + (f.tokens.admin.endsWith("A") ? "B" : "A");
    assert.deepEqual(await statuses(f, 3, { token: wrong }), [401, 401, 401]);
    retryAfter(await call(f, "GET", "/api/status", { token: wrong }));
    retryAfter(
      await call(f, "POST", "/api/auth/login", { body: JSON.stringify({ token: wrong }) }),
    );
    retryAfter(await call(f, "GET", "/api/status", { token: f.tokens.viewer }));
    assert.deepEqual(await statuses(f, 3, { token: LOCAL }), [200, 200, 200]);
  }, { localCredential: LOCAL, config: "[http.rate_limit]\nlogin_per_minute = 3\n" });
});
