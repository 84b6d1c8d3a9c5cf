/**
 * Fuzz pass over every API body (fast-check, fixed seed, bounded count):
 * each POST/PUT/PATCH route of the route manifest gets hostile JSON, JSON
 * shaped like Talon's wire objects, and text that is not JSON. No answer may
 * be a 5xx, every refusal is `{error:{code,message}}`, nothing rejects
 * unhandled, and a refusal leaves every table's row count and the audit head
 * as they were.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { ROUTES } from "../../http/routes.gen.ts";
import type {} from "../../kernel/mod.ts";
import { type ApiFixture, withApi } from "../http/http_fixtures.ts";
import { bodyText, SEED, settle, snapshot, watchRejections } from "./fuzz_fixtures.ts";

/** Requests per route; ~60 body routes × this stays well under the pass's 60 s. */
const RUNS_PER_ROUTE = 10;

const CONFIG = [
  "[http.rate_limit]",
  "requests_per_minute = 1000000",
  "per_ip_per_minute = 1000000",
  "login_per_minute = 10000",
].join("\n");

interface Target {
  method: string;
  pattern: string;
}

/**
 * Every API route that takes a body. Pages (loaded on first request, plain
 * forms) are fuzzed through their own tests.
 */
const TARGETS: Target[] = ROUTES.flatMap((route) =>
  "module" in route
    ? Object.entries(route.module.handler)
      .filter(([method, def]) => ["POST", "PUT", "PATCH"].includes(method) && !def!.page)
      .map(([method]) => ({ method, pattern: route.pattern }))
    : []
);

/** The pattern with real ids where a route needs one to reach its validation. */
function pathOf(pattern: string, ids: { agent: string; session: string }): string {
  return pattern
    .replace(/^\/api\/agents\/:id/, `/api/agents/${ids.agent}`)
    .replace(/^\/api\/budget\/agents\/:id/, `/api/budget/agents/${ids.agent}`)
    .replace(":sid", ids.session)
    .replace(":key", "fuzz-key")
    .replace(/:\w+/g, "x");
}

async function fuzzRoute(f: ApiFixture, target: Target, index: number): Promise<void> {
  const agent = f.kernel.agents.spawn({ name: `fuzz-${index}`, capabilities: ["memory_read"] });
  const session = f.kernel.sessions.reset(agent.id).session.id;
  await settle(f.kernel);
  const path = pathOf(target.pattern, { agent: agent.id, session });
  await fc.assert(
    fc.asyncProperty(bodyText, fc.boolean(), async (body, asToml) => {
      const before = snapshot(f.kernel);
      const res = await fetch(f.server.url + path, {
        method: target.method,
        headers: {
          authorization: `Bearer ${f.tokens.admin}`,
          "content-type": asToml ? "application/toml" : "application/json",
          accept: "application/json, text/event-stream",
        },
        body,
      });
      const text = await res.text();
      const label = `${target.method} ${path} ${JSON.stringify(body.slice(0, 200))}`;
      assert.ok(res.status < 500, `${label} → ${res.status} ${text.slice(0, 300)}`);
      if (res.status >= 400 && res.headers.get("content-type")?.includes("application/json")) {
        // `/api` answers `{error:{code,message}}`; `/mcp` JSON-RPC errors (numeric codes) and
        // `/v1` OpenAI's error shape carry a message too.
        const error = JSON.parse(text).error;
        assert.equal(typeof error?.message, "string", `${label}: ${text.slice(0, 300)}`);
        if (path.startsWith("/api/")) {
          assert.equal(typeof error?.code, "string", `${label}: ${text.slice(0, 300)}`);
        }
      }
      if (res.status >= 400) {
        assert.deepEqual(snapshot(f.kernel), before, `${label} was refused but changed rows`);
      } else {
        await settle(f.kernel);
      }
    }),
    { seed: SEED + index, numRuns: RUNS_PER_ROUTE, endOnFailure: true },
  );
}

Deno.test("fuzz: every API body route refuses garbage with a clear 4xx and writes nothing", async () => {
  assert.ok(TARGETS.length >= 30, `only ${TARGETS.length} body routes found`);
  const rejections = await watchRejections(() =>
    withApi(async (f) => {
      for (const [i, target] of TARGETS.entries()) await fuzzRoute(f, target, i);
      // An oversized body is refused before any handler runs.
      const before = snapshot(f.kernel);
      const res = await fetch(`${f.server.url}/api/agents`, {
        method: "POST",
        headers: { authorization: `Bearer ${f.tokens.admin}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "big", description: "x".repeat(2 * 1024 * 1024) }),
      });
      assert.equal(res.status, 413);
      assert.equal((await res.json()).error.code, "payload_too_large");
      assert.deepEqual(snapshot(f.kernel), before);
      await settle(f.kernel);
    }, { config: CONFIG })
  );
  assert.deepEqual(rejections, [], "no unhandled rejections");
});
