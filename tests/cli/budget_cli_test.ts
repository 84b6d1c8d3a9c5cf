import assert from "node:assert/strict";
import { call, withApi } from "../http/http_fixtures.ts";
import { withTempDir } from "../kernel/fixtures.ts";
import { bootQuiet, serveDataDir, talon } from "./cli_fixtures.ts";

const STEPS = [
  ["agent", "spawn", "--name", "a"],
  ["budget", "set", "a", "--usd-per-day", "10", "--tool-calls-per-minute", "30"],
  ["budget", "set", "--global", "--usd-per-month", "100", "--usd-per-hour", "2.5"],
  ["budget", "show"],
  ["budget", "set", "a", "--usd-per-day", "none"],
  ["budget", "show", "a", "--json"],
  ["budget", "set", "a"],
  ["budget", "set", "a", "--usd-per-day", "-1"],
  ["budget", "set", "a", "--usd-per-month", "5"],
  ["budget", "set", "--global", "--tokens-per-hour", "5"],
  ["budget", "set", "a", "--global", "--usd-per-day", "1"],
  ["budget", "set", "a", "--tokens-per-hour", "1.5"],
  ["budget", "set", "ghost", "--usd-per-day", "1"],
  ["budget", "show", "ghost"],
];

async function scenario(dataDir: string): Promise<string[]> {
  const printed: string[] = [];
  for (const step of STEPS) {
    const r = await talon(dataDir, ...step);
    printed.push(
      `$ ${step.join(" ")}\n[${r.code}]\n${(r.out + r.err).replace(/[0-9a-f-]{36}/g, "<id>")}`,
    );
  }
  return printed;
}

Deno.test("talon budget set|show: same output in-process and through a server; bad input exits 2", async () => {
  await withTempDir(async (root) => {
    const local = await scenario(`${root}/local`);
    const dataDir = `${root}/served`;
    const kernel = await bootQuiet(dataDir);
    const stopServing = await serveDataDir(kernel, dataDir);
    let remote: string[];
    try {
      remote = await scenario(dataDir);
      assert.equal(kernel.audit.list({ action: "budget.set" }).entries.length, 3);
    } finally {
      await stopServing();
    }
    assert.deepEqual(remote, local);
    assert.match(
      local[1]!,
      /\[0\]\nCaps of agent a are now: usd_per_day=10, tool_calls_per_minute=30\.\n$/,
    );
    assert.match(local[3]!, /this month \(UTC\)\s+\$0\.00\s+\$100\.00/);
    assert.match(local[3]!, /last hour\s+\$0\.00\s+\$2\.50/);
    assert.match(local[3]!, /\na\s+running\s+0 \/ -\s+\$0\.00 \/ \$10\.00\s+0 \/ 30\n/);
    const shown = JSON.parse(local[5]!.split("\n").slice(2).join("\n"));
    assert.deepEqual(shown.agents[0].caps, { tool_calls_per_minute: 30 });
    for (const i of [6, 7, 8, 9, 10, 11]) {
      assert.match(local[i]!, /\n\[2\]\nerror: [^\n]+\n$/, `one line, exit 2: ${local[i]}`);
    }
    assert.match(local[12]!, /\[1\]\nerror: no agent with id or name "ghost"/);
    assert.match(local[13]!, /\[1\]\nerror: no agent with id or name "ghost"/);
  });
});

Deno.test("PUT /api/budget and /api/budget/agents/{id} need an admin token; GETs a viewer's", async () => {
  await withApi(async (f) => {
    const { kernel } = f;
    kernel.agents.spawn({ name: "a" });
    const { viewer, operator, admin } = f.tokens;
    const req = (token: string, method: string, path: string, body?: unknown) =>
      call(f, method, path, { token, body: body === undefined ? undefined : JSON.stringify(body) });
    assert.equal((await req(viewer, "GET", "/api/budget")).status, 200);
    for (const token of [viewer, operator]) {
      assert.equal((await req(token, "PUT", "/api/budget", { usd_per_day: 1 })).status, 403);
      assert.equal(
        (await req(token, "PUT", "/api/budget/agents/a", { usd_per_day: 1 })).status,
        403,
      );
    }
    const bad = await req(admin, "PUT", "/api/budget/agents/a", { usd_per_day: "lots" });
    assert.equal(bad.status, 400);
    assert.match((bad.body.error as { message: string }).message, /usd_per_day/);
    const unknown = await req(admin, "PUT", "/api/budget", { usd_per_week: 1 });
    assert.equal(unknown.status, 400);
    const ok = await req(admin, "PUT", "/api/budget/agents/a", { usd_per_day: 2 });
    assert.deepEqual(ok.body.caps, { usd_per_day: 2 });
    const read = await req(viewer, "GET", "/api/budget/agents/a");
    assert.deepEqual([read.status, read.body.caps], [200, { usd_per_day: 2 }]);
    assert.equal((await req(viewer, "GET", "/api/budget?agent=ghost")).status, 404);
    const audited = kernel.audit.list({ action: "budget.set" }).entries;
    assert.equal(audited.length, 1);
    assert.match(audited[0]!.actor, /^token:/);
  });
});
