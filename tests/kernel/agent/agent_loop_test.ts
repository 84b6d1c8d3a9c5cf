import assert from "node:assert/strict";
import { buildPrompt } from "../../../kernel/agent/agent_loop.ts";
import { NO_TOOLS, type ToolExecutor } from "../../../kernel/tools/mod.ts";
import type { AgentView, SessionMessage, TalonEvent, ToolCall } from "../../../kernel/types.ts";
import { collect, settle, withKernel, withTempDir, writeScript } from "../fixtures.ts";
import { boot } from "../fixtures.ts";

function recordingTools(): ToolExecutor & { calls: ToolCall[] } {
  const calls: ToolCall[] = [];
  return {
    calls,
    definitions: () => [{ name: "lookup", description: "looks up", parameters: {} }],
    execute: (call) => {
      calls.push(call);
      return Promise.resolve({ ok: true, output: `result for ${JSON.stringify(call.args)}` });
    },
  };
}

Deno.test("runTurn() runs scripted tool calls and feeds results back to the model", async () => {
  await withTempDir(async (dir) => {
    const script = await writeScript(dir, {
      turns: [{
        match: "look",
        steps: [
          {
            text: "checking",
            tool_calls: [{ name: "lookup", args: { q: "a" } }, {
              name: "lookup",
              args: { q: "b" },
            }],
          },
          { text: "all done" },
        ],
      }],
    });
    const tools = recordingTools();
    const kernel = await boot(dir, { tools });
    try {
      const agent = kernel.agents.spawn({ name: "tooler", model: `script:${script}` });
      const handle = kernel.agents.send(agent.id, "look it up");
      const events = await settle(collect(handle.events()), "turn events");
      const result = await handle.result;
      assert.equal(result.status, "completed");
      assert.equal(result.reply, "all done");
      assert.deepEqual(tools.calls.map((c) => c.args), [{ q: "a" }, { q: "b" }]);
      const starts = events.filter((e) => e.type === "tool_start") as TalonEvent<"tool_start">[];
      const ends = events.filter((e) => e.type === "tool_end") as TalonEvent<"tool_end">[];
      assert.deepEqual(starts.map((e) => e.data.args), [{ q: "a" }, { q: "b" }]);
      assert.deepEqual(ends.map((e) => [e.data.ok, e.data.output]), [
        [true, 'result for {"q":"a"}'],
        [true, 'result for {"q":"b"}'],
      ]);
      assert.deepEqual(ends.map((e) => e.data.call_id), starts.map((e) => e.data.call_id));
      const usage = events.filter((e) => e.type === "usage");
      assert.equal(usage.length, 2, "one usage event per model call");
      const rows = kernel.db.prepare(
        "SELECT role, content FROM messages WHERE agent_id = ? ORDER BY id",
      ).all(agent.id) as { role: string; content: string }[];
      assert.deepEqual(rows.map((r) => r.role), ["user", "assistant", "tool", "tool", "assistant"]);
      const withCalls = JSON.parse(rows[1]!.content);
      assert.equal(withCalls.text, "checking");
      assert.equal(withCalls.tool_calls.length, 2);
      assert.equal(JSON.parse(rows[2]!.content).tool_call_id, starts[0]!.data.call_id);
    } finally {
      await kernel.close();
    }
  });
});

Deno.test("runTurn() without tools answers every call with an error result and carries on", async () => {
  await withKernel(async (kernel, dir) => {
    const script = await writeScript(dir, {
      turns: [{ match: ".", steps: [{ tool_calls: [{ name: "rm_rf" }] }, { text: "sorry" }] }],
    });
    kernel.agents.spawn({ name: "bot", model: `script:${script}` });
    const handle = kernel.agents.send("bot", "do it");
    const events = await settle(collect(handle.events()), "turn events");
    const end = events.find((e) => e.type === "tool_end") as TalonEvent<"tool_end">;
    assert.equal(end.data.ok, false);
    assert.match(end.data.output, /rm_rf.*not available/);
    assert.equal((await handle.result).reply, "sorry");
  });
});

Deno.test("runTurn() stops at resources.max_iterations with an explanation", async () => {
  await withKernel(async (kernel, dir) => {
    const loop = { tool_calls: [{ name: "again" }] };
    const script = await writeScript(dir, {
      turns: [{ match: ".", steps: [loop, loop, loop, loop, { text: "never" }] }],
    });
    kernel.agents.spawn({
      name: "looper",
      model: `script:${script}`,
      resources: { max_iterations: 2 },
    });
    const result = await settle(kernel.agents.send("looper", "go").result, "turn");
    assert.equal(result.status, "completed");
    assert.match(result.reply, /Stopped after 2 model calls/);
    const calls = kernel.db.prepare(
      "SELECT COUNT(*) AS n FROM messages WHERE role = 'tool'",
    ).get() as { n: number };
    assert.equal(calls.n, 2);
  });
});

Deno.test("runTurn() reports a driver failure as a failed turn with error and done events", async () => {
  await withKernel(async (kernel, dir) => {
    const script = await writeScript(dir, {
      turns: [{ match: "^only this$", steps: [{ text: "x" }] }],
    });
    kernel.agents.spawn({ name: "bot", model: `script:${script}` });
    const handle = kernel.agents.send("bot", "something else");
    const events = await settle(collect(handle.events()), "turn events");
    const result = await handle.result;
    assert.equal(result.status, "failed");
    assert.equal(result.error?.code, "driver_error");
    const error = events.find((e) => e.type === "error") as TalonEvent<"error">;
    assert.equal(error.data.code, "driver_error");
    assert.equal(events.at(-1)!.type, "done");
    const turn = kernel.db.prepare("SELECT status, error_code FROM turns WHERE id = ?")
      .get(handle.turn_id) as { status: string; error_code: string };
    assert.deepEqual({ ...turn }, { status: "failed", error_code: "driver_error" });
    // The agent survives a failed turn.
    assert.equal(kernel.agents.get("bot").state, "running");
  });
});

Deno.test("runTurn() redacts secrets from driver error messages", async () => {
  await withKernel(async (kernel, dir) => {
    const secret = "sk-abcdefghijklmnopqrstuvwxyz012345";
    const script = await writeScript(dir, {
      turns: [{ match: "^never$", steps: [{ text: "x" }] }],
    });
    kernel.agents.spawn({ name: "bot", model: `script:${script}` });
    const result = await settle(kernel.agents.send("bot", `my key is ${secret}`).result, "turn");
    assert.equal(result.status, "failed");
    assert.ok(!result.error!.message.includes(secret), result.error!.message);
  });
});

Deno.test("buildPrompt() puts the system prompt first and maps every role", () => {
  const agent = { manifest: { system_prompt: "be brief" } } as AgentView;
  const call: ToolCall = { id: "c1", name: "lookup", args: {} };
  const at = "2024-01-01T00:00:00.000Z";
  const history: SessionMessage[] = [
    { id: 1, turn_id: "t", role: "user", text: "hi", created_at: at },
    { id: 2, turn_id: "t", role: "assistant", text: "", tool_calls: [call], created_at: at },
    { id: 3, turn_id: "t", role: "tool", text: "out", tool_call_id: "c1", created_at: at },
    { id: 4, turn_id: "t", role: "assistant", text: "bye", tool_calls: [], created_at: at },
  ];
  assert.deepEqual(buildPrompt(agent, history), [
    { role: "system", text: "be brief" },
    { role: "user", text: "hi" },
    { role: "assistant", text: "", tool_calls: [call] },
    { role: "tool", tool_call_id: "c1", text: "out" },
    { role: "assistant", text: "bye" },
  ]);
  assert.deepEqual(buildPrompt(agent, []), [{ role: "system", text: "be brief" }]);
});

Deno.test("NO_TOOLS offers no definitions and refuses every call", async () => {
  const agent = {} as AgentView;
  assert.deepEqual(NO_TOOLS.definitions(agent), []);
  const outcome = await NO_TOOLS.execute(
    { id: "1", name: "x", args: {} },
    { agent, turnId: "t", signal: new AbortController().signal, chain: [] },
  );
  assert.equal(outcome.ok, false);
});
