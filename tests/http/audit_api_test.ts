import assert from "node:assert/strict";
import { call, withApi } from "./http_fixtures.ts";
import { AuditList, AuditVerification } from "../../kernel/types.ts";

Deno.test("the audit routes need a credential and are readable by every role", async () => {
  await withApi(async (f) => {
    for (const [method, path] of [["GET", "/api/audit/recent"], ["GET", "/api/audit/verify"]]) {
      assert.equal((await call(f, method!, path!)).status, 401, `${method} ${path} anonymous`);
      for (const role of ["viewer", "operator", "admin"] as const) {
        const r = await call(f, method!, path!, { token: f.tokens[role] });
        assert.equal(r.status, 200, `${method} ${path} as ${role}`);
      }
    }
  });
});

Deno.test("GET /api/audit/recent pages and filters; GET /api/audit/verify answers 200 with ok:false when broken", async () => {
  await withApi(async (f) => {
    const admin = f.tokens.admin;
    // The fixture's three token.create entries come first.
    const b = f.kernel.audit.list({ limit: 10 }).entries.length;
    assert.equal(b, 3);
    for (let i = 1; i <= 5; i++) {
      f.kernel.audit.append({
        action: i === 3 ? "capability.denied" : "tool.call",
        actor: "agent:x",
        agent_id: "x",
        detail: { i, password: "hunter2" },
      });
    }
    const page = AuditList.parse(
      (await call(f, "GET", "/api/audit/recent?limit=2", { token: admin })).body,
    );
    assert.deepEqual(page.entries.map((e) => e.id), [b + 5, b + 4]);
    assert.equal(page.next_before, b + 4);
    assert.equal(page.entries[0]!.detail.password, "[REDACTED]");
    const next = AuditList.parse(
      (await call(f, "GET", `/api/audit/recent?before=${b + 4}&agent_id=x`, { token: admin })).body,
    );
    assert.deepEqual(next.entries.map((e) => e.id), [b + 3, b + 2, b + 1]);
    assert.equal(next.next_before, null);
    const denied = AuditList.parse(
      (await call(f, "GET", "/api/audit/recent?action=capability.denied", { token: admin })).body,
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
      const r = await call(f, "GET", `/api/audit/recent?${query}`, { token: admin });
      assert.equal(r.status, 400, query);
      assert.equal((r.body.error as { code: string }).code, "invalid_input");
      assert.match((r.body.error as { message: string }).message, message, query);
    }

    const intact = AuditVerification.parse(
      (await call(f, "GET", "/api/audit/verify", { token: admin })).body,
    );
    assert.equal(intact.ok, true);
    assert.equal(intact.entries, b + 5);
    f.kernel.db.prepare("UPDATE audit_entries SET actor = 'agent:y' WHERE id = ?").run(b + 2);
    const broken = await call(f, "GET", "/api/audit/verify", { token: admin });
    assert.equal(broken.status, 200);
    assert.deepEqual(broken.body, {
      ok: false,
      entries: b + 5,
      head: intact.head,
      first_broken: {
        id: b + 2,
        reason: `entry ${b + 2}: hash does not match its contents (edited?)`,
      },
      anchors: { checked: 0, newest: null },
    });
  });
});
