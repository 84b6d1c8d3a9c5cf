import assert from "node:assert/strict";
import { ApprovalsConfig } from "../../../kernel/types.ts";
import { approvalGateOf, type GatedTool } from "../../../kernel/scheduler/mod.ts";
import type { AgentView } from "../../../kernel/types.ts";
import { settle, talonError, withKernel } from "../fixtures.ts";
import { exists, gatedConfig, pendingOf, sendAndPark, spawnWriter } from "./approval_fixtures.ts";

const config = (input: Record<string, unknown> = {}) => ApprovalsConfig.parse(input);
const agent = (require_approval?: string[]) =>
  ({ manifest: { require_approval } }) as unknown as Pick<AgentView, "manifest">;
const tool = (name: string, risk: GatedTool["risk"], needsApproval = false): GatedTool => ({
  name,
  risk,
  needsApproval,
});

Deno.test("approvalGateOf() gates what approvals.require names and nothing else by default", () => {
  const c = config({ require: ["file_write"] });
  assert.deepEqual(approvalGateOf(c, agent(), tool("file_write", "medium")), {
    gate: "config",
    rule: 'approvals.require names "file_write"',
  });
  assert.equal(approvalGateOf(c, agent(), tool("file_read", "low")), undefined);
  assert.equal(approvalGateOf(config(), agent(), tool("web_fetch", "high")), undefined);
});

Deno.test("approvalGateOf() keeps a tool's own gate (shell_exec) unless auto_approve names it", () => {
  const shell = tool("shell_exec", "high", true);
  assert.equal(approvalGateOf(config(), agent(), shell)?.gate, "tool");
  assert.equal(approvalGateOf(config({ auto_approve: ["shell_exec"] }), agent(), shell), undefined);
});

Deno.test("approvalGateOf() gates every tool at or above require_risk, except auto_approve's", () => {
  const c = config({ require_risk: "medium", auto_approve: ["web_fetch"] });
  assert.equal(approvalGateOf(c, agent(), tool("system_time", "low")), undefined);
  assert.equal(approvalGateOf(c, agent(), tool("file_write", "medium"))?.gate, "risk");
  assert.match(
    approvalGateOf(c, agent(), tool("agent_kill", "high"))!.rule,
    /"agent_kill" is high risk and approvals\.require_risk is "medium"/,
  );
  assert.equal(approvalGateOf(c, agent(), tool("web_fetch", "high")), undefined);
  const high = config({ require_risk: "high" });
  assert.equal(approvalGateOf(high, agent(), tool("file_write", "medium")), undefined);
  assert.equal(approvalGateOf(high, agent(), tool("web_fetch", "high"))?.gate, "risk");
});

Deno.test("approvalGateOf() lets a manifest add gates, even over auto_approve, but never remove the config's", () => {
  const c = config({ require: ["file_write"], auto_approve: ["file_read"] });
  assert.equal(approvalGateOf(c, agent(["file_read"]), tool("file_read", "low"))?.gate, "manifest");
  assert.equal(
    approvalGateOf(c, agent(["memory_store"]), tool("memory_store", "low"))?.gate,
    "manifest",
  );
  // A manifest has no way to subtract: an empty or unrelated list leaves the config's gate.
  assert.equal(approvalGateOf(c, agent([]), tool("file_write", "medium"))?.gate, "config");
  assert.equal(
    approvalGateOf(c, agent(["file_read"]), tool("file_write", "medium"))?.gate,
    "config",
  );
});

Deno.test("[approvals] config refuses bad values, naming the field", () => {
  const issues = (input: Record<string, unknown>) => {
    const parsed = ApprovalsConfig.safeParse(input);
    assert.equal(parsed.success, false);
    return parsed.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };
  assert.deepEqual(config(), { require: [], timeout_s: 300, auto_approve: [] });
  assert.match(
    issues({ require: ["file_write"], auto_approve: ["file_write"] })[0]!,
    /^auto_approve\.0: "file_write" is also in approvals\.require/,
  );
  assert.match(issues({ require_risk: "extreme" })[0]!, /^require_risk: /);
  assert.match(issues({ timeout_s: 0 })[0]!, /^timeout_s: /);
  assert.match(issues({ require: ["File Write"] })[0]!, /^require\.0: must be a tool name/);
  assert.match(issues({ required: ["file_write"] })[0]!, /required/);
});

Deno.test("a config with overlapping require and auto_approve does not boot (invalid_config)", async () => {
  await assert.rejects(
    withKernel(() => {}, {
      config: '[approvals]\nrequire = ["shell_exec"]\nauto_approve = ["shell_exec"]\n',
    }),
    talonError(
      "invalid_config",
      /approvals\.auto_approve\.0: "shell_exec" is also in approvals\.require/,
    ),
  );
});

Deno.test("a manifest's require_approval gates a tool the config leaves open", async () => {
  await withKernel(async (kernel, dir) => {
    const writer = await spawnWriter(kernel, dir, { require_approval: ["file_write"] });
    const { handle, request } = await sendAndPark(kernel, writer.id);
    assert.equal(request.gate, "manifest");
    assert.equal(await exists(writer.file), false);
    kernel.approvals.approve(request.id, { actor: "token:op" });
    assert.equal((await settle(handle.result, "turn")).status, "completed");
    assert.equal(await exists(writer.file), true);
  }, { config: 'max_capabilities = ["file_write"]\n' });
});

Deno.test("a manifest cannot lift the config's gate: not by omitting it, not by PATCH", async () => {
  await withKernel(async (kernel, dir) => {
    const writer = await spawnWriter(kernel, dir, { require_approval: [] });
    kernel.agents.update(writer.id, { require_approval: null });
    const { handle, request } = await sendAndPark(kernel, writer.id);
    assert.equal(request.gate, "config");
    kernel.approvals.reject(request.id, { actor: "token:op" });
    await settle(handle.result, "turn");
    assert.equal(await exists(writer.file), false);
  }, { config: gatedConfig() });
});

Deno.test("a child spawned by a gated agent keeps its parent's require_approval", async () => {
  await withKernel((kernel) => {
    const parent = kernel.agents.spawn({
      name: "parent",
      capabilities: ["agent_spawn", "file_write"],
      require_approval: ["file_write"],
    });
    const child = kernel.agents.spawn(
      { name: "child", capabilities: ["file_write"], require_approval: ["file_read"] },
      { parent: parent.id },
    );
    assert.deepEqual(child.manifest.require_approval, ["file_write", "file_read"]);
    assert.throws(
      () => kernel.agents.spawn({ name: "typo", require_approval: ["file_wrte"] }),
      talonError("invalid_manifest", /unknown tool "file_wrte"/),
    );
  }, { config: 'max_capabilities = ["file_write", "agent_spawn"]\n' });
});

Deno.test("auto_approve lets shell_exec run without asking", async () => {
  await withKernel(async (kernel) => {
    const agent = kernel.agents.spawn({
      name: "sh",
      capabilities: ["shell_exec"],
      tools: ["shell_exec"],
    });
    const outcome = await kernel.tools.execute(
      { id: "c1", name: "shell_exec", args: { command: "true" } },
      { agent, turnId: "t1", signal: new AbortController().signal, chain: [agent.id] },
    );
    assert.equal(outcome.ok, true, outcome.output);
    assert.deepEqual(kernel.approvals.list(), []);
  }, { config: 'max_capabilities = ["shell_exec"]\n[approvals]\nauto_approve = ["shell_exec"]\n' });
});

Deno.test("require_risk gates file_write (medium) when set to medium", async () => {
  await withKernel(async (kernel, dir) => {
    const writer = await spawnWriter(kernel, dir);
    const handle = kernel.agents.send(writer.id, "write");
    const request = await pendingOf(kernel, handle.turn_id);
    assert.deepEqual([request.gate, request.risk], ["risk", "medium"]);
    kernel.approvals.approve(request.id, { actor: "token:op" });
    await settle(handle.result, "turn");
    assert.equal(await exists(writer.file), true);
  }, { config: 'max_capabilities = ["file_write"]\n[approvals]\nrequire_risk = "medium"\n' });
});
