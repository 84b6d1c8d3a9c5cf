import assert from "node:assert/strict";
import { z } from "zod";
import {
  type AuditRecord,
  defineTool,
  ToolRegistry,
  truncateOutput,
} from "../../../kernel/tools/mod.ts";
import { talonError, withKernel } from "../fixtures.ts";
import { auditOf, callTools, toolCalls } from "./fixtures.ts";

const SECRET = "sk-abcdefghijklmnopqrstuvwxyz012345";

Deno.test("ToolRegistry gives an agent without a tools list only the capability-free built-ins", async () => {
  await withKernel((kernel) => {
    kernel.tools.register(defineTool({
      name: "plugin_echo",
      description: "a capability-free tool that is not built in",
      input: z.strictObject({}),
      capabilities: [],
      risk: "low",
      handler: () => "echo",
    }));
    const agent = kernel.agents.spawn({ name: "plain", capabilities: ["agent_message"] });
    assert.deepEqual(kernel.tools.allowedFor(agent).map((t) => t.name), ["system_time"]);
    assert.deepEqual(kernel.tools.definitions(agent).map((d) => d.name), ["system_time"]);
  });
});

Deno.test("ToolRegistry honours a manifest tools list and refuses tools outside it (unknown_tool)", async () => {
  await withKernel(async (kernel, dir) => {
    const none = kernel.agents.spawn({ name: "none", tools: [] });
    assert.deepEqual(kernel.tools.definitions(none), []);
    const { result, ends, agentId } = await callTools(kernel, dir, {
      manifest: { tools: ["agent_list", "agent_list"], capabilities: ["agent_message"] },
      calls: [{ name: "system_time" }, { name: "agent_list" }, { name: "no_such_tool" }],
    });
    assert.deepEqual(
      kernel.tools.definitions(kernel.agents.get(agentId)).map((d) => d.name),
      ["agent_list"],
    );
    assert.equal(result.reply, "done");
    assert.deepEqual(ends.map((e) => e.data.ok), [false, true, false]);
    assert.match(ends[0]!.data.output, /"system_time" is not available.*available: agent_list/);
    // Calls of one step run concurrently, so audit order is completion order.
    const codes = Object.fromEntries(toolCalls(kernel).map((d) => [d.tool, d.error_code]));
    assert.deepEqual(codes, {
      system_time: "unknown_tool",
      agent_list: null,
      no_such_tool: "unknown_tool",
    });
  });
});

Deno.test("AgentRegistry.spawn() refuses a manifest naming an unknown tool (invalid_manifest)", async () => {
  await withKernel((kernel) => {
    assert.throws(
      () => kernel.agents.spawn({ name: "bot", tools: ["system_time", "web_browse"] }),
      talonError(
        "invalid_manifest",
        new RegExp(
          `unknown tool "web_browse"; available: ${
            kernel.tools.list().map((t) => t.name).join(", ")
          }$`,
        ),
      ),
    );
    assert.throws(
      () => kernel.agents.spawn({ name: "bot", tools: ["a_x", "b_y"] }),
      talonError("invalid_manifest", /unknown tools "a_x", "b_y"/),
    );
    assert.equal(kernel.agents.list().length, 0);
  });
});

Deno.test("ToolRegistry answers invalid arguments with invalid_args naming the field", async () => {
  await withKernel(async (kernel, dir) => {
    const { result, ends } = await callTools(kernel, dir, {
      manifest: { tools: ["system_time", "agent_send"], capabilities: ["agent_message"] },
      calls: [
        { name: "system_time", args: { timezone: 5 } },
        { name: "agent_send", args: { agent: "x" } },
        { name: "system_time", args: { __invalid_arguments: `{"timezone": "Eur` } },
        { name: "system_time", args: { tz: "UTC" } },
      ],
    });
    assert.equal(result.status, "completed");
    assert.ok(ends.every((e) => !e.data.ok));
    const out = ends.map((e) => e.data.output);
    assert.match(out[0]!, /invalid arguments for "system_time": timezone: .*expected string/);
    assert.match(out[1]!, /invalid arguments for "agent_send": message: /);
    assert.match(out[2]!, /"system_time": not a JSON object \(got "\{\\"timezone\\": \\"Eur"\)/);
    assert.match(out[3]!, /unknown field "tz"/);
    assert.deepEqual(toolCalls(kernel).map((d) => d.error_code), Array(4).fill("invalid_args"));
    assert.equal(auditOf(kernel, "capability.allowed").length, 0, "no decision before valid args");
  });
});

Deno.test("ToolRegistry denies a call whose capability the agent lacks; the turn still completes", async () => {
  await withKernel(async (kernel, dir) => {
    const { result, ends, agentId } = await callTools(kernel, dir, {
      manifest: { tools: ["agent_list", "system_time"] },
      calls: [{ name: "agent_list" }, { name: "system_time" }],
    });
    assert.equal(result.status, "completed");
    assert.equal(result.reply, "done");
    assert.equal(ends[0]!.data.ok, false);
    assert.match(
      ends[0]!.data.output,
      /"agent_list" needs agent_message, which agent "caller" does not hold; the call was denied/,
    );
    assert.equal(ends[1]!.data.ok, true);
    const [denied] = auditOf(kernel, "capability.denied");
    assert.deepEqual(denied, {
      action: "capability.denied",
      actor: `agent:${agentId}`,
      agent_id: agentId,
      detail: {
        tool: "agent_list",
        required: ["agent_message"],
        missing: ["agent_message"],
        decision: "denied",
        turn_id: result.turn_id,
      },
    });
    const [allowed] = auditOf(kernel, "capability.allowed");
    assert.equal(allowed!.detail!.tool, "system_time");
    assert.deepEqual(toolCalls(kernel).map((d) => [d.tool, d.ok, d.error_code]).sort(), [
      ["agent_list", false, "capability_denied"],
      ["system_time", true, null],
    ]);
  });
});

Deno.test("ToolRegistry checks capabilities computed from the arguments", async () => {
  await withKernel(async (kernel, dir) => {
    kernel.tools.register(defineTool({
      name: "fetch_host",
      description: "pretends to fetch a host",
      input: z.strictObject({ host: z.string() }),
      capabilities: ({ host }) => [`net_connect:${host}`],
      risk: "medium",
      handler: ({ host }) => `fetched ${host}`,
    }));
    const { ends } = await callTools(kernel, dir, {
      manifest: { tools: ["fetch_host"], capabilities: ["net_connect:*.example.com"] },
      calls: [
        { name: "fetch_host", args: { host: "api.example.com" } },
        { name: "fetch_host", args: { host: "evil.net" } },
      ],
    });
    assert.deepEqual(ends.map((e) => e.data.output.split(";")[0]), [
      "fetched api.example.com",
      'tool "fetch_host" needs net_connect:evil.net, which agent "caller" does not hold',
    ]);
  });
});

Deno.test("a ToolRegistry without an approval gate denies a tool needing approval, fail closed", async () => {
  await withKernel(async (kernel) => {
    let ran = false;
    const audit: AuditRecord[] = [];
    const registry = new ToolRegistry({ audit: { append: (r) => audit.push(r) } });
    registry.register(defineTool({
      name: "deploy",
      description: "deploys",
      input: z.strictObject({}),
      capabilities: ["file_write"],
      risk: "high",
      needsApproval: true,
      handler: () => {
        ran = true;
        return "deployed";
      },
    }));
    const agent = kernel.agents.spawn({ name: "a", capabilities: ["file_write"] });
    const outcome = await registry.execute({ id: "c1", name: "deploy", args: {} }, {
      agent: { ...agent, manifest: { ...agent.manifest, tools: ["deploy"] } },
      turnId: "t1",
      signal: new AbortController().signal,
      chain: [agent.id],
    });
    assert.equal(ran, false);
    assert.deepEqual(outcome, {
      ok: false,
      output: 'tool "deploy": approvals are not configured in this Talon yet; the call was denied',
      error_code: "approval_unavailable",
    });
    assert.equal(audit[0]!.action, "capability.denied");
    assert.equal(audit[0]!.detail!.decision, "approval_unavailable");
    assert.equal(audit[1]!.detail!.error_code, "approval_unavailable");
  });
});

Deno.test("ToolRegistry stops a signal-respecting tool at its 200 ms timeout", async () => {
  await withKernel(async (kernel, dir) => {
    let sawAbort = false;
    kernel.tools.register(defineTool({
      name: "slow",
      description: "waits until aborted",
      input: z.strictObject({}),
      capabilities: [],
      risk: "low",
      timeoutMs: 200,
      handler: (_args, ctx) =>
        new Promise<string>((_, reject) => {
          ctx.signal.addEventListener("abort", () => {
            sawAbort = true;
            reject(ctx.signal.reason);
          }, { once: true });
        }),
    }));
    const { result, ends } = await callTools(kernel, dir, {
      manifest: { tools: ["slow"] },
      calls: [{ name: "slow" }],
    });
    assert.equal(result.status, "completed");
    // The handler settles only when aborted: returning at all means the timeout stopped it.
    assert.equal(sawAbort, true);
    assert.match(ends[0]!.data.output, /"slow" did not finish within 200 ms/);
    assert.equal(toolCalls(kernel)[0]!.error_code, "timeout");
  });
});

Deno.test("ToolRegistry returns at tools.timeout_ms even when the tool ignores its signal", async () => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await withKernel(async (kernel, dir) => {
      kernel.tools.register(defineTool({
        name: "stuck",
        description: "ignores its signal",
        input: z.strictObject({}),
        capabilities: [],
        risk: "low",
        handler: () =>
          new Promise<string>((resolve) => (timer = setTimeout(() => resolve("late"), 60_000))),
      }));
      // The handler would answer "late" after 60 s: the timeout message shows the
      // registry returned without it (callTools' hang guard is the bound).
      const { result, ends } = await callTools(kernel, dir, {
        manifest: { tools: ["stuck"] },
        calls: [{ name: "stuck" }],
      });
      assert.equal(result.reply, "done");
      // Had the registry waited, the output would be the handler's "late" (after 60 s).
      assert.match(ends[0]!.data.output, /"stuck" did not finish within 200 ms and was stopped/);
    }, { config: "[tools]\ntimeout_ms = 200\n" });
  } finally {
    clearTimeout(timer);
  }
});

Deno.test("ToolRegistry cancels a running tool when its turn is stopped", async () => {
  await withKernel(async (kernel, dir) => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    kernel.tools.register(defineTool({
      name: "wait",
      description: "waits until aborted",
      input: z.strictObject({}),
      capabilities: [],
      risk: "low",
      handler: (_args, ctx) =>
        new Promise<string>((_, reject) => {
          started();
          ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason), { once: true });
        }),
    }));
    const turn = callTools(kernel, dir, {
      manifest: { tools: ["wait"] },
      calls: [{ name: "wait" }],
    });
    await running;
    assert.equal((await kernel.agents.stop("caller", { actor: "test" })).stopped, true);
    const { result } = await turn;
    assert.equal(result.status, "stopped");
  });
});

Deno.test("ToolRegistry truncates long output with a marker giving exact counts", async () => {
  await withKernel(async (kernel, dir) => {
    kernel.tools.register(defineTool({
      name: "big",
      description: "returns n characters",
      input: z.strictObject({ n: z.number().int() }),
      capabilities: [],
      risk: "low",
      handler: ({ n }) => "x".repeat(n),
    }));
    const { ends } = await callTools(kernel, dir, {
      manifest: { tools: ["big"] },
      calls: [{ name: "big", args: { n: 13_345 } }, { name: "big", args: { n: 1000 } }],
    });
    assert.equal(
      ends[0]!.data.output,
      "x".repeat(1000) + "\n[output truncated: 12,345 of 13,345 characters cut]",
    );
    assert.equal(ends[1]!.data.output, "x".repeat(1000));
    assert.deepEqual(toolCalls(kernel).map((d) => d.output_chars).sort(), [1000, 13_345]);
  }, { config: "[tools]\nmax_output_chars = 1000\n" });
});

Deno.test("truncateOutput() never splits a surrogate pair", () => {
  assert.equal(truncateOutput("ab😀cd", 3), "ab\n[output truncated: 4 of 6 characters cut]");
  assert.equal(truncateOutput("abc", 3), "abc");
});

Deno.test("ToolRegistry reports a throwing handler as tool_failed with secrets redacted", async () => {
  await withKernel(async (kernel, dir) => {
    kernel.tools.register(defineTool({
      name: "login",
      description: "throws",
      input: z.strictObject({ api_key: z.string() }),
      capabilities: [],
      risk: "low",
      handler: ({ api_key }) => {
        throw new Error(`upstream rejected key ${api_key}`);
      },
    }));
    const { result, ends } = await callTools(kernel, dir, {
      manifest: { tools: ["login"] },
      calls: [{ name: "login", args: { api_key: SECRET } }],
    });
    assert.equal(result.status, "completed");
    assert.equal(ends[0]!.data.output, 'tool "login" failed: upstream rejected key [REDACTED]');
    const [call] = toolCalls(kernel);
    assert.equal(call!.error_code, "tool_failed");
    assert.deepEqual(call!.args, { api_key: "[REDACTED]" });
    assert.ok(!JSON.stringify(auditOf(kernel)).includes(SECRET));
  });
});

Deno.test("ToolRegistry does not run a call it could not audit (fail closed)", async () => {
  let ran = false;
  await withKernel(async (kernel, dir) => {
    // The audit log becomes unwritable: every append fails for real.
    kernel.db.exec(
      `CREATE TRIGGER audit_full BEFORE INSERT ON audit_entries
       WHEN NEW.action LIKE 'capability.%' BEGIN SELECT RAISE(ABORT, 'disk full'); END`,
    );
    kernel.tools.register(defineTool({
      name: "act",
      description: "acts",
      input: z.strictObject({}),
      capabilities: [],
      risk: "low",
      handler: () => String(ran = true),
    }));
    const { ends } = await callTools(kernel, dir, {
      manifest: { tools: ["act"] },
      calls: [{ name: "act" }],
    });
    assert.equal(ran, false);
    assert.match(ends[0]!.data.output, /could not be recorded in the audit log/);
  });
});
