import assert from "node:assert/strict";
import { ApprovalList, ApprovalView, PendingApprovals } from "../../kernel/types.ts";
import {
  exists,
  gatedConfig,
  sendAndPark,
  spawnWriter,
} from "../kernel/scheduler/approval_fixtures.ts";
import { settle } from "../kernel/fixtures.ts";
import { call, withApi } from "./http_fixtures.ts";

type Json = Record<string, unknown>;

function post(
  f: Parameters<Parameters<typeof withApi>[0]>[0],
  token: string,
  path: string,
  body?: unknown,
) {
  return call(f, "POST", path, {
    token,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

Deno.test("GET /api/approvals, /pending and /{id} show a waiting call; approve through the API runs it, audited with who decided; deciding again is a 409", async () => {
  await withApi(async (f) => {
    const writer = await spawnWriter(f.kernel, f.dir);
    const { handle, request } = await sendAndPark(f.kernel, writer.id);
    const { viewer, operator } = f.tokens;

    const pending = await call(f, "GET", "/api/approvals/pending", { token: viewer });
    assert.deepEqual(PendingApprovals.parse(pending.body), { pending: 1 });
    const list = await call(f, "GET", "/api/approvals?status=pending", { token: viewer });
    assert.deepEqual(ApprovalList.parse(list.body).approvals.map((a) => a.id), [request.id]);
    const none = await call(f, "GET", "/api/approvals?status=approved", { token: viewer });
    assert.deepEqual(ApprovalList.parse(none.body).approvals, []);
    const shown = ApprovalView.parse(
      (await call(f, "GET", `/api/approvals/${request.id}`, { token: viewer })).body,
    );
    assert.deepEqual([shown.tool, shown.args], ["file_write", {
      path: "out.txt",
      content: "approved!",
      append: false,
    }]);

    const refused = await post(f, viewer, `/api/approvals/${request.id}/approve`);
    assert.equal(refused.status, 403);
    assert.equal(await exists(writer.file), false, "not written before a decision");

    const approved = await post(f, operator, `/api/approvals/${request.id}/approve`);
    assert.equal(approved.status, 200, approved.text);
    const decided = ApprovalView.parse(approved.body);
    assert.equal(decided.status, "approved");
    assert.match(decided.decided_by!, /^token:/);
    const result = await settle(handle.result, "the approved turn");
    assert.equal(result.status, "completed");
    assert.equal(await Deno.readTextFile(writer.file), "approved!");

    const entry = f.kernel.audit.list({ action: "approval.decided" }).entries[0]!;
    assert.equal(entry.actor, decided.decided_by);
    assert.equal((entry.detail as Json).status, "approved");

    for (const verb of ["approve", "reject"]) {
      const again = await post(f, operator, `/api/approvals/${request.id}/${verb}`);
      assert.equal(again.status, 409, `${verb} again: ${again.text}`);
      assert.equal((again.body.error as Json).code, "illegal_transition");
    }
    const count = await call(f, "GET", "/api/approvals/pending", { token: viewer });
    assert.deepEqual(count.body, { pending: 0 });
  }, { config: gatedConfig() });
});

Deno.test("POST /api/approvals/{id}/reject denies the call with the reason; the file is never written", async () => {
  await withApi(async (f) => {
    const writer = await spawnWriter(f.kernel, f.dir);
    const { handle, request } = await sendAndPark(f.kernel, writer.id);
    const r = await post(f, f.tokens.operator, `/api/approvals/${request.id}/reject`, {
      reason: "not today",
    });
    assert.equal(r.status, 200, r.text);
    const decided = ApprovalView.parse(r.body);
    assert.deepEqual([decided.status, decided.reason], ["rejected", "not today"]);
    await settle(handle.result, "the rejected turn");
    assert.equal(await exists(writer.file), false);
  }, { config: gatedConfig() });
});

Deno.test("bad approval input is a 400 naming the field and decides nothing; unknown ids are 404", async () => {
  await withApi(async (f) => {
    const writer = await spawnWriter(f.kernel, f.dir);
    const { handle, request } = await sendAndPark(f.kernel, writer.id);
    const { operator, viewer } = f.tokens;
    const cases: [string, unknown, string][] = [
      [`/api/approvals/${request.id}/reject`, { reason: "x".repeat(2001) }, "reason"],
      [`/api/approvals/${request.id}/reject`, { reason: 7 }, "reason"],
      [`/api/approvals/${request.id}/approve`, { really: true }, ""],
    ];
    for (const [path, body, field] of cases) {
      const r = await post(f, operator, path, body);
      assert.equal(r.status, 400, `${path} ${JSON.stringify(body)}: ${r.text}`);
      const error = r.body.error as { code: string; fields?: Json; message: string };
      assert.equal(error.code, "invalid_input");
      if (field) assert.ok(error.fields?.[field], r.text);
      else assert.match(error.message, /really/);
    }
    const badStatus = await call(f, "GET", "/api/approvals?status=maybe", { token: viewer });
    assert.equal(badStatus.status, 400);
    assert.ok((badStatus.body.error as { fields: Json }).fields.status);
    assert.equal(f.kernel.approvals.get(request.id).status, "pending");
    assert.equal(f.kernel.audit.list({ action: "approval.decided" }).entries.length, 0);

    const ghost = await post(f, operator, "/api/approvals/no-such-id/approve");
    assert.equal(ghost.status, 404);
    assert.equal(
      (await call(f, "GET", "/api/approvals/no-such-id", { token: viewer })).status,
      404,
    );
    f.kernel.approvals.reject(request.id, { actor: "test" });
    await settle(handle.result, "the turn");
  }, { config: gatedConfig() });
});
