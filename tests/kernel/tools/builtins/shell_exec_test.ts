import assert from "node:assert/strict";
import { shellEnvironment, shellExecTool } from "../../../../kernel/tools/mod.ts";
import { withKernel, withTempDir } from "../../fixtures.ts";
import { auditOf, callTools } from "../fixtures.ts";

Deno.test("shell_exec waits for an approval by default, and never runs when rejected", async () => {
  await withKernel(async (kernel, dir) => {
    let requestId = "";
    const { result, ends, agentId } = await callTools(kernel, dir, {
      manifest: { tools: ["shell_exec"], capabilities: ["shell_exec"] },
      calls: [{ name: "shell_exec", args: { command: "touch", args: ["ran"] } }],
      before: () => {
        const sub = kernel.bus.subscribe({ types: ["approval"] });
        void sub.next().then((step) => {
          sub.close();
          if (step.done || step.value.type === "gap") return;
          requestId = (step.value.data as { id: string }).id;
          kernel.approvals.reject(requestId, { actor: "test", reason: "no shell today" });
        });
      },
    });
    assert.equal(result.status, "completed");
    assert.equal(ends[0]!.data.ok, false);
    assert.match(ends[0]!.data.output, /rejected by a person.*no shell today/);
    await assert.rejects(Deno.stat(`${dir}/workspaces/${agentId}/ran`), Deno.errors.NotFound);
    const request = kernel.approvals.get(requestId);
    assert.deepEqual([request.gate, request.risk, request.status], ["tool", "high", "rejected"]);
    const decision = auditOf(kernel, "capability.allowed").at(-1)!;
    assert.equal(decision.detail?.decision, "approval_required");
  }, { config: 'max_capabilities = ["shell_exec"]\n' });
});

Deno.test("shellEnvironment() copies only allowed variables Talon can read, and sets HOME", () => {
  const env = { PATH: "/bin", LANG: "C.UTF-8", SECRET_TOKEN: "hunter2" } as Record<string, string>;
  assert.deepEqual(shellEnvironment(["LANG", "MISSING"], (k) => env[k], "/ws"), {
    LANG: "C.UTF-8",
    PATH: "/usr/local/bin:/usr/bin:/bin",
    HOME: "/ws",
  });
  assert.deepEqual(shellEnvironment(["PATH"], (k) => env[k], "/ws"), { PATH: "/bin", HOME: "/ws" });
});

Deno.test("the shell_exec handler runs argv in the agent's workspace with the cleared environment", async () => {
  Deno.env.set("TALON_TEST_SHELL_SECRET", "s3cr3t-value");
  try {
    await withTempDir(async (dir) => {
      const tool = shellExecTool({
        workspaces: dir,
        envAllow: ["PATH", "LANG"],
        env: (k) => Deno.env.get(k),
        timeoutMs: 30_000,
        maxOutputBytes: 10_000,
      });
      const ctx = {
        agent: { id: "agent-1", name: "a" } as never,
        turnId: "t",
        callId: "c",
        signal: new AbortController().signal,
        chain: ["agent-1"],
      };
      const run = async (args: unknown) =>
        JSON.parse(await tool.handler(tool.input.parse(args), ctx));
      const env = await run({ command: "env" });
      assert.equal(env.exit_code, 0);
      assert.doesNotMatch(env.stdout, /TALON_TEST_SHELL_SECRET|s3cr3t-value/);
      assert.match(env.stdout, new RegExp(`^HOME=${await Deno.realPath(dir)}/agent-1$`, "m"));
      const literal = await run({ command: "echo", args: ["a; rm -rf /", "$(id)"] });
      assert.equal(literal.stdout, "a; rm -rf / $(id)\n");
      const slow = await run({ command: "sleep", args: ["30"], timeout_ms: 200 });
      assert.deepEqual([slow.timed_out, slow.signal, slow.exit_code], [true, "SIGKILL", null]);
      assert.throws(() => tool.input.parse({ command: "sleep", timeout_ms: 60_000 }));
    });
  } finally {
    Deno.env.delete("TALON_TEST_SHELL_SECRET");
  }
});
