import assert from "node:assert/strict";
import { type RunningServer, startServer } from "../../http/server.ts";
import { bootKernel, createLogger, type Kernel } from "../../kernel/mod.ts";
import { AuditList, AuditVerification } from "../../kernel/types.ts";

interface Fixture {
  kernel: Kernel;
  server: RunningServer;
  tokens: Record<"admin" | "operator" | "viewer", string>;
}

async function withServer(fn: (f: Fixture) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  const kernel = await bootKernel({
    dataDir: dir,
    env: () => undefined,
    log: createLogger("error", { sink: () => {} }),
  });
  const server = await startServer(kernel, { host: "127.0.0.1", port: 0 });
  try {
    const tokens = {
      admin: (await kernel.tokens.create({ role: "admin", name: "a" })).token,
      operator: (await kernel.tokens.create({ role: "operator", name: "o" })).token,
      viewer: (await kernel.tokens.create({ role: "viewer", name: "v" })).token,
    };
    await fn({ kernel, server, tokens });
  } finally {
    const closing = server.shutdown();
    await kernel.close();
    await closing;
    await Deno.remove(dir, { recursive: true });
  }
}

async function call(
  f: Fixture,
  method: string,
  path: string,
  token?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(f.server.url + path, {
    method,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: res.status, body: await res.json() };
}

Deno.test("the audit routes refuse every role but admin", async () => {
  await withServer(async (f) => {
    for (const [method, path] of [["GET", "/api/audit/recent"], ["GET", "/api/audit/verify"]]) {
      assert.equal((await call(f, method!, path!)).status, 401, `${method} ${path} anonymous`);
      for (const role of ["viewer", "operator"] as const) {
        const r = await call(f, method!, path!, f.tokens[role]);
        assert.equal(r.status, 403, `${method} ${path} as ${role}`);
        assert.match(
          (r.body.error as { message: string }).message,
          new RegExp(`needs the admin role; your token has ${role}`),
        );
      }
      assert.equal((await call(f, method!, path!, f.tokens.admin)).status, 200);
    }
  });
});

Deno.test("GET /api/audit/recent pages and filters; GET /api/audit/verify answers 200 with ok:false when broken", async () => {
  await withServer(async (f) => {
    const admin = f.tokens.admin;
    for (let i = 1; i <= 5; i++) {
      f.kernel.audit.append({
        action: i === 3 ? "capability.denied" : "tool.call",
        actor: "agent:x",
        agent_id: "x",
        detail: { i, password: "hunter2" },
      });
    }
    const page = AuditList.parse((await call(f, "GET", "/api/audit/recent?limit=2", admin)).body);
    assert.deepEqual(page.entries.map((e) => e.id), [5, 4]);
    assert.equal(page.next_before, 4);
    assert.equal(page.entries[0]!.detail.password, "[REDACTED]");
    const next = AuditList.parse(
      (await call(f, "GET", "/api/audit/recent?before=4&agent_id=x", admin)).body,
    );
    assert.deepEqual(next.entries.map((e) => e.id), [3, 2, 1]);
    assert.equal(next.next_before, null);
    const denied = AuditList.parse(
      (await call(f, "GET", "/api/audit/recent?action=capability.denied", admin)).body,
    );
    assert.deepEqual(denied.entries.map((e) => e.detail.i), [3]);

    for (
      const [query, message] of [
        ["limit=0", /limit/],
        ["limit=501", /limit/],
        ["before=abc", /before/],
        ["action=agent.dance", /action/],
        ["agent_id=", /agent_id/],
        ["colour=red", /unknown field "colour"/],
      ] as const
    ) {
      const r = await call(f, "GET", `/api/audit/recent?${query}`, admin);
      assert.equal(r.status, 400, query);
      assert.equal((r.body.error as { code: string }).code, "invalid_input");
      assert.match((r.body.error as { message: string }).message, message, query);
    }

    const intact = AuditVerification.parse(
      (await call(f, "GET", "/api/audit/verify", admin)).body,
    );
    assert.equal(intact.ok, true);
    assert.equal(intact.entries, 5);
    f.kernel.db.prepare("UPDATE audit_entries SET actor = 'agent:y' WHERE id = 2").run();
    const broken = await call(f, "GET", "/api/audit/verify", admin);
    assert.equal(broken.status, 200);
    assert.deepEqual(broken.body, {
      ok: false,
      entries: 5,
      head: intact.head,
      first_broken: { id: 2, reason: "entry 2: hash does not match its contents (edited?)" },
    });
  });
});
