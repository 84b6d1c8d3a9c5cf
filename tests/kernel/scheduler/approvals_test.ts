import assert from "node:assert/strict";
import type { ApprovalEventData, TalonEvent } from "../../../kernel/types.ts";
import { FakeClock } from "../../fakes/fake_clock.ts";
import { eventsOf, settle, talonError, withKernel } from "../fixtures.ts";
import { auditOf } from "../tools/fixtures.ts";
import { exists, gatedConfig, sendAndPark, spawnWriter } from "./approval_fixtures.ts";

/** What the model read as the tool result of the turn's call. */
function toolResultOf(kernel: Parameters<typeof auditOf>[0], agentId: string): string {
  const messages = kernel.agents.session(agentId, { limit: 50 }).messages;
  return messages.filter((m) => m.role === "tool").map((m) => m.text).join("\n");
}

Deno.test("a gated file_write waits for approval and writes the file only once approved", async () => {
  await withKernel(async (kernel, dir) => {
    const writer = await spawnWriter(kernel, dir);
    const { handle, request } = await sendAndPark(kernel, writer.id);
    assert.equal(request.status, "pending");
    assert.equal(request.tool, "file_write");
    assert.deepEqual(request.args, { path: "out.txt", content: "approved!", append: false });
    assert.deepEqual([request.risk, request.gate], ["medium", "config"]);
    assert.match(request.rule, /approvals\.require names "file_write"/);
    assert.equal(request.agent_name, "writer");
    assert.equal(request.turn_id, handle.turn_id);
    assert.equal(
      Date.parse(request.expires_at) - Date.parse(request.created_at),
      300_000,
      "default timeout is 300 s",
    );
    assert.equal(kernel.approvals.pendingCount(), 1);
    // The turn really is parked: give it time, the file still does not exist.
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await exists(writer.file), false);
    assert.equal(kernel.agents.currentTurn(writer.id), handle.turn_id);

    const decided = kernel.approvals.approve(request.id, { actor: "token:op1" });
    assert.deepEqual([decided.status, decided.decided_by], ["approved", "token:op1"]);
    const result = await settle(handle.result, "approved turn");
    assert.equal(result.status, "completed");
    assert.equal(await Deno.readTextFile(writer.file), "approved!");
    assert.match(toolResultOf(kernel, writer.id), /wrote 9 bytes to out\.txt/);
    assert.equal(kernel.approvals.pendingCount(), 0);

    const requested = auditOf(kernel, "approval.requested");
    assert.equal(requested.length, 1);
    assert.equal(requested[0]!.actor, `agent:${writer.id}`);
    assert.equal(requested[0]!.detail!.approval_id, request.id);
    const decisions = auditOf(kernel, "approval.decided");
    assert.deepEqual(decisions.map((d) => [d.actor, d.detail!.status]), [[
      "token:op1",
      "approved",
    ]]);
    const events = eventsOf(kernel, ["approval"], { turnId: handle.turn_id }) as TalonEvent<
      "approval"
    >[];
    assert.deepEqual(
      events.map((e) => [(e.data as ApprovalEventData).status, e.data.pending]),
      [["pending", 1], ["approved", 0]],
    );
  }, { config: gatedConfig() });
});

Deno.test("a rejected call never runs and the model sees the rejection's reason", async () => {
  await withKernel(async (kernel, dir) => {
    const writer = await spawnWriter(kernel, dir);
    const { handle, request } = await sendAndPark(kernel, writer.id);
    const decided = kernel.approvals.reject(request.id, {
      actor: "token:admin",
      reason: "  not in production hours  ",
    });
    assert.deepEqual([decided.status, decided.reason], ["rejected", "not in production hours"]);
    const result = await settle(handle.result, "rejected turn");
    assert.deepEqual([result.status, result.reply], ["completed", "done"]);
    assert.equal(await exists(writer.file), false);
    assert.match(
      toolResultOf(kernel, writer.id),
      /rejected by a person and did not run; their reason: not in production hours/,
    );
    const ends = eventsOf(kernel, ["tool_end"], { turnId: handle.turn_id });
    assert.equal((ends[0]!.data as { ok: boolean }).ok, false);
    const calls = auditOf(kernel, "tool.call");
    assert.equal(calls.at(-1)!.detail!.error_code, "approval_rejected");
  }, { config: gatedConfig() });
});

Deno.test("a request nobody decides expires at the timeout and the call is denied (fake clock)", async () => {
  const clock = new FakeClock("2026-03-01T10:00:00Z");
  await withKernel(async (kernel, dir) => {
    const writer = await spawnWriter(kernel, dir);
    const { handle, request } = await sendAndPark(kernel, writer.id);
    assert.equal(request.created_at, "2026-03-01T10:00:00.000Z");
    assert.equal(request.expires_at, "2026-03-01T10:01:30.000Z");
    await clock.advance(89_000);
    assert.equal(kernel.approvals.get(request.id).status, "pending");
    await clock.advance(1_000);
    const expired = kernel.approvals.get(request.id);
    assert.deepEqual([expired.status, expired.decided_by], ["expired", "system"]);
    assert.equal(expired.decided_at, "2026-03-01T10:01:30.000Z");
    const result = await settle(handle.result, "expired turn");
    assert.equal(result.status, "completed");
    assert.equal(await exists(writer.file), false);
    assert.match(
      toolResultOf(kernel, writer.id),
      /denied and did not run: nobody approved it within 90 s/,
    );
    assert.throws(
      () => kernel.approvals.approve(request.id, { actor: "token:late" }),
      talonError(
        "illegal_transition",
        /already expired \(by system at 2026-03-01T10:01:30\.000Z\)/,
      ),
    );
  }, { config: gatedConfig("timeout_s = 90\n"), boot: { clock } });
});

Deno.test("deciding a request twice is illegal_transition (409) and changes nothing", async () => {
  await withKernel(async (kernel, dir) => {
    const writer = await spawnWriter(kernel, dir);
    const { handle, request } = await sendAndPark(kernel, writer.id);
    kernel.approvals.reject(request.id, { actor: "token:a" });
    assert.throws(
      () => kernel.approvals.approve(request.id, { actor: "token:b" }),
      talonError("illegal_transition", /already rejected \(by token:a/),
    );
    assert.throws(
      () => kernel.approvals.reject(request.id, { actor: "token:b", reason: "again" }),
      talonError("illegal_transition"),
    );
    await settle(handle.result, "rejected turn");
    const stored = kernel.approvals.get(request.id);
    assert.deepEqual([stored.status, stored.decided_by, stored.reason], [
      "rejected",
      "token:a",
      null,
    ]);
    assert.equal(auditOf(kernel, "approval.decided").length, 1);
    assert.equal(await exists(writer.file), false);
    assert.throws(() => kernel.approvals.get("nope"), talonError("not_found"));
    assert.throws(() => kernel.approvals.approve("nope", { actor: "x" }), talonError("not_found"));
    assert.throws(() => kernel.approvals.approve(request.id, { actor: " " }), TypeError);
  }, { config: gatedConfig() });
});

Deno.test("killing an agent while it waits cancels its request and the call never runs", async () => {
  await withKernel(async (kernel, dir) => {
    const writer = await spawnWriter(kernel, dir);
    const { handle, request } = await sendAndPark(kernel, writer.id);
    kernel.agents.kill(writer.id, { actor: "token:admin" });
    const result = await settle(handle.result, "killed turn");
    assert.equal(result.status, "interrupted");
    const cancelled = kernel.approvals.get(request.id);
    assert.deepEqual([cancelled.status, cancelled.decided_by], ["cancelled", "system"]);
    assert.match(cancelled.reason!, /turn ended before a decision/);
    assert.throws(
      () => kernel.approvals.approve(request.id, { actor: "token:op" }),
      talonError("illegal_transition", /already cancelled/),
    );
    assert.equal(await exists(writer.file), false);
    assert.equal(kernel.approvals.pendingCount(), 0);
  }, { config: gatedConfig() });
});

Deno.test("stopping an agent's turn while it waits cancels its request", async () => {
  await withKernel(async (kernel, dir) => {
    const writer = await spawnWriter(kernel, dir);
    const { handle, request } = await sendAndPark(kernel, writer.id);
    const stopped = await settle(kernel.agents.stop(writer.id, { actor: "test" }), "stop");
    assert.deepEqual([stopped.stopped, stopped.status], [true, "stopped"]);
    assert.equal((await handle.result).status, "stopped");
    const cancelled = kernel.approvals.get(request.id);
    assert.equal(cancelled.status, "cancelled");
    assert.match(cancelled.reason!, /stopped by request/);
    assert.equal(await exists(writer.file), false);
    assert.equal(kernel.agents.get(writer.id).state, "running");
  }, { config: gatedConfig() });
});

Deno.test("one agent waiting for approval does not hold up another agent's turns", async () => {
  await withKernel(async (kernel, dir) => {
    const writer = await spawnWriter(kernel, dir);
    const { handle, request } = await sendAndPark(kernel, writer.id);
    const other = kernel.agents.spawn({ name: "other" });
    const reply = await settle(kernel.agents.send(other.id, "hello").result, "other agent's turn");
    assert.equal(reply.status, "completed");
    assert.equal(kernel.approvals.get(request.id).status, "pending");
    kernel.approvals.approve(request.id, { actor: "token:op" });
    assert.equal((await settle(handle.result, "writer turn")).status, "completed");
  }, { config: gatedConfig() });
});

Deno.test("waiting for approval does not count against the tool's own timeout", async () => {
  await withKernel(async (kernel, dir) => {
    const writer = await spawnWriter(kernel, dir);
    const { handle, request } = await sendAndPark(kernel, writer.id);
    // Wait past tools.timeout_ms before approving; the limit itself is generous
    // enough for file_write on a loaded box once approved.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    kernel.approvals.approve(request.id, { actor: "token:op" });
    assert.equal((await settle(handle.result, "writer turn")).status, "completed");
    assert.equal(await Deno.readTextFile(writer.file), "approved!");
    assert.match(toolResultOf(kernel, writer.id), /^wrote 9 bytes/);
  }, { config: gatedConfig().replace("[approvals]", "[tools]\ntimeout_ms = 3000\n[approvals]") });
});

Deno.test("list() filters by status and agent; pendingCount() counts what waits", async () => {
  await withKernel(async (kernel, dir) => {
    const writer = await spawnWriter(kernel, dir);
    const first = await sendAndPark(kernel, writer.id);
    kernel.approvals.reject(first.request.id, { actor: "token:op" });
    await settle(first.handle.result, "first turn");
    const second = await sendAndPark(kernel, writer.id);
    assert.deepEqual(kernel.approvals.list().map((a) => a.id), [
      second.request.id,
      first.request.id,
    ]);
    assert.deepEqual(kernel.approvals.list({ status: "pending" }).map((a) => a.id), [
      second.request.id,
    ]);
    assert.deepEqual(
      kernel.approvals.list({ status: "rejected", agent: "writer" }).map((a) => a.id),
      [
        first.request.id,
      ],
    );
    assert.deepEqual(kernel.approvals.list({ limit: 1 }).length, 1);
    assert.throws(() => kernel.approvals.list({ agent: "ghost" }), talonError("not_found"));
    assert.equal(kernel.approvals.pendingCount(), 1);
    kernel.approvals.approve(second.request.id, { actor: "token:op" });
    await settle(second.handle.result, "second turn");
  }, { config: gatedConfig() });
});

Deno.test("an ungated file_write runs at once and creates no request", async () => {
  await withKernel(async (kernel, dir) => {
    const writer = await spawnWriter(kernel, dir);
    const result = await settle(kernel.agents.send(writer.id, "go").result, "turn");
    assert.equal(result.status, "completed");
    assert.equal(await Deno.readTextFile(writer.file), "approved!");
    assert.deepEqual(kernel.approvals.list(), []);
  }, { config: 'max_capabilities = ["file_write"]\n' });
});
