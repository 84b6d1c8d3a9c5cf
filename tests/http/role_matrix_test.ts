/**
 * The role matrix over real loopback HTTP, driven by the generated route
 * manifest so that routes added later are covered without editing this file.
 * Every success it receives is checked against what the route declares: a
 * JSON body parsed with the route's schema, an SSE stream, a 204, or a
 * file download.
 */
import assert from "node:assert/strict";
import { z } from "zod";
import type { RouteResponse, RouteRole } from "../../http/define.ts";
import { ROUTES } from "../../http/routes.gen.ts";
import { parseToken } from "../../kernel/security/mod.ts";
import { type Role, roleAtLeast } from "../../kernel/types.ts";
import { type ApiFixture, withApi } from "./http_fixtures.ts";

/**
 * The only routes anyone may call without credentials. Adding one is a
 * security decision: the A2A card is public so that peers can discover
 * this Talon (it lists only agents offered with `a2a = true`).
 */
const PUBLIC = ["GET /api/health", "POST /api/auth/login", "GET /.well-known/agent-card.json"];

const LOCAL_CREDENTIAL = "local-credential-for-the-role-matrix-test-0123456789";

interface Entry {
  method: string;
  path: string;
  role: RouteRole;
  label: string;
  response: RouteResponse | undefined;
}

/** Every API method; HTML pages check roles themselves (redirect to /login): pages_test.ts. */
const LOADED = await Promise.all(
  ROUTES.map(async (r) => ({
    pattern: r.pattern,
    module: "module" in r ? r.module : await r.load(),
  })),
);
const ENTRIES: Entry[] = LOADED.flatMap(({ pattern, module }) =>
  Object.entries(module.handler).filter(([, def]) => !def!.page).map(([method, def]) => ({
    method,
    path: pattern.replace(/:\w+/g, "x"),
    role: def!.role,
    label: `${method} ${pattern}`,
    response: def!.response,
  }))
);

/** The token with its last character changed: right id, wrong secret. */
function wrongSecret(token: string): string {
  return token.slice(0, -1) + (token.endsWith("A") ? "B" : "A");
}

interface Caller {
  name: string;
  role: Role;
  headers: (f: ApiFixture, method: string) => Record<string, string>;
}

function callers(f: ApiFixture): Caller[] {
  const out: Caller[] = [{
    name: "local credential",
    role: "admin",
    headers: () => ({ authorization: `Bearer ${LOCAL_CREDENTIAL}` }),
  }];
  for (const role of ["viewer", "operator", "admin"] as const) {
    const token = f.tokens[role];
    out.push({
      name: `${role} token`,
      role,
      headers: () => ({ authorization: `Bearer ${token}` }),
    });
    out.push({
      name: `${role} session`,
      role,
      // A fresh session per request: POST /api/auth/logout ends the one it is sent with.
      headers: (f, method) => ({
        cookie: `talon_session=${f.kernel.webSessions.create(parseToken(token)!.id).id}`,
        ...(method === "GET" ? {} : { origin: f.server.url }),
      }),
    });
  }
  return out;
}

/** What a success answered, by kind; `json` counts bodies parsed with the route's schema. */
const answered = { json: 0, sse: 0, empty: 0, download: 0 };

/**
 * Checks a success against the route's declared response: a JSON body must
 * parse with its schema, a stream or a 204 must be declared.
 */
async function checkSuccess(entry: Entry, res: Response): Promise<void> {
  const declared = entry.response;
  assert.ok(declared, `${entry.label} declares no response`);
  const type = res.headers.get("content-type") ?? "";
  if (res.status === 204) {
    assert.ok(declared.empty, `${entry.label} answered 204 but does not declare it`);
    answered.empty++;
  } else if (/^attachment\b/.test(res.headers.get("content-disposition") ?? "")) {
    await res.body?.cancel();
    assert.ok(declared.download, `${entry.label} answered a download but does not declare it`);
    answered.download++;
  } else if (type.startsWith("text/event-stream")) {
    await res.body?.cancel();
    assert.ok(declared.sse, `${entry.label} answered SSE but does not declare it`);
    answered.sse++;
  } else {
    assert.match(type, /^application\/json\b/, `${entry.label}: ${res.status} ${type}`);
    assert.ok(declared.json, `${entry.label} answered JSON but declares no schema`);
    const parsed = z.safeParse(declared.json, await res.json());
    assert.ok(
      parsed.success,
      `${entry.label}: body does not match its schema: ${parsed.error?.message}`,
    );
    answered.json++;
  }
}

/**
 * Sends a request without a body; reads the body of refusals and of
 * successes (checked against the route's declared response), not of other
 * answers (a stream may never end).
 */
async function send(
  f: ApiFixture,
  entry: Entry,
  headers: Record<string, string>,
): Promise<{ status: number; code?: string; message?: string }> {
  const res = await fetch(f.server.url + entry.path, { method: entry.method, headers });
  if (res.status >= 200 && res.status < 300) {
    await checkSuccess(entry, res);
    return { status: res.status };
  }
  if (res.status !== 401 && res.status !== 403) {
    await res.body?.cancel();
    return { status: res.status };
  }
  const body = await res.json();
  return { status: res.status, code: body.error?.code, message: body.error?.message };
}

Deno.test("every API method declares what a success answers: a JSON schema, SSE or 204", () => {
  for (const entry of ENTRIES) {
    const r = entry.response;
    assert.ok(
      r && (r.json || r.sse || r.empty || r.download),
      `${entry.label} declares no response`,
    );
  }
});

Deno.test("the routes callable without credentials are exactly /api/health, login and the A2A card", () => {
  const open = ENTRIES.filter((e) => e.role === "public").map((e) => e.label).sort();
  assert.deepEqual(open, [...PUBLIC].sort());
  assert.ok(ENTRIES.length > 20, "the manifest lists the API");
});

Deno.test("role matrix: no credentials → 401 on every route but the public ones", async () => {
  await withApi(async (f) => {
    for (const entry of ENTRIES) {
      const r = await send(f, entry, {});
      if (PUBLIC.includes(entry.label)) {
        assert.ok(r.status !== 401 && r.status !== 403, `${entry.label} is public: ${r.status}`);
        continue;
      }
      assert.equal(r.status, 401, entry.label);
      assert.equal(r.code, "unauthorized", entry.label);
      for (
        const headers of <Record<string, string>[]> [
          { authorization: "Bearer tln_000000000000_" + "A".repeat(43) },
          { authorization: `Bearer ${wrongSecret(f.tokens.admin)}` },
          { cookie: "talon_session=" + "A".repeat(43) },
        ]
      ) {
        assert.equal((await send(f, entry, headers)).status, 401, `${entry.label} forged`);
      }
    }
  }, { config: "[http.rate_limit]\nlogin_per_minute = 1000\n" });
});

Deno.test("role matrix: each role × each route — below the route's role 403 naming it, at or above neither 401 nor 403", async () => {
  await withApi(async (f) => {
    let checked = 0;
    for (const entry of ENTRIES) {
      if (entry.role === "public") continue;
      for (const caller of callers(f)) {
        const r = await send(f, entry, caller.headers(f, entry.method));
        const what = `${caller.name} → ${entry.label}`;
        if (!roleAtLeast(caller.role, entry.role)) {
          assert.equal(r.status, 403, what);
          assert.equal(r.code, "forbidden", what);
          assert.match(r.message!, new RegExp(`needs the ${entry.role} role`), what);
        } else {
          assert.ok(r.status !== 401 && r.status !== 403, `${what}: ${r.status} ${r.message}`);
        }
        checked++;
      }
    }
    assert.ok(checked >= 7 * 20, `checked ${checked} pairs`);
    assert.ok(answered.json >= 7 * 10, `JSON bodies checked: ${JSON.stringify(answered)}`);
    assert.ok(
      answered.sse > 0 && answered.empty > 0 && answered.download > 0,
      JSON.stringify(answered),
    );
  }, { localCredential: LOCAL_CREDENTIAL });
});
