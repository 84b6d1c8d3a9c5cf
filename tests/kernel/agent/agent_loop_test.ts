import assert from "node:assert/strict";
import { buildPrompt } from "../../../kernel/agent/agent_loop.ts";
import * as store from "../../../kernel/store/mod.ts";
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

Deno.test("runTurn() continues a reply cut off by max_tokens, up to max_continuations", async () => {
  await withKernel(async (kernel, dir) => {
    const script = await writeScript(dir, {
      turns: [{
        match: "essay",
        steps: [
          { text: "part one", stop_reason: "max_tokens" },
          { text: " part two", stop_reason: "max_tokens" },
          { text: " part three" },
        ],
      }, {
        match: "endless",
        steps: Array.from(
          { length: 10 },
          (_, i) => ({ text: ` p${i}`, stop_reason: "max_tokens" }),
        ),
      }],
    });
    const agent = kernel.agents.spawn({ name: "writer", model: `script:${script}` });
    const result = await settle(kernel.agents.send(agent.id, "write an essay").result, "essay");
    assert.equal(result.status, "completed");
    assert.equal(result.reply, "part one part two part three");
    const stored = kernel.db.prepare(
      "SELECT role, content FROM messages WHERE agent_id = ? ORDER BY id",
    ).all(agent.id) as { role: string; content: string }[];
    assert.deepEqual(stored.map((m) => [m.role, JSON.parse(m.content).text]), [
      ["user", "write an essay"],
      ["assistant", "part one part two part three"],
    ], "one assistant message; the continue prompt is never stored");

    const capped = await settle(kernel.agents.send(agent.id, "endless").result, "endless");
    assert.equal(capped.reply, " p0 p1 p2 p3", "three continuations after the first cut-off");
  }, { config: "[agents]\nmax_continuations = 3\n" });
});

Deno.test("runTurn() recovers from a context-length error by trimming the prompt once", async () => {
  await withKernel(async (kernel, dir) => {
    const script = await writeScript(dir, {
      context_window: 400,
      turns: [{ match: "^q", steps: [{ text: "ok" }] }],
    });
    const agent = kernel.agents.spawn({ name: "small", model: `script:${script}` });
    // From the sixth turn on the whole history no longer fits in 400 tokens.
    for (let i = 0; i < 8; i++) {
      const r = await settle(kernel.agents.send(agent.id, `q${i} ${"x".repeat(300)}`).result, "q");
      assert.equal(r.status, "completed", `turn ${i}: ${r.error?.message}`);
    }
    const sessionSize = kernel.db.prepare(
      "SELECT count(*) AS n FROM messages WHERE agent_id = ?",
    ).get(agent.id) as { n: number };
    assert.equal(sessionSize.n, 16, "the stored session keeps everything");

    const huge = await settle(
      kernel.agents.send(agent.id, `q-huge ${"y".repeat(4000)}`).result,
      "too big even alone",
    );
    assert.equal(huge.status, "failed");
    assert.equal(huge.error?.code, "context_too_long");
  });
});

Deno.test("runTurn() repairs a session a crash left broken and records the repair", async () => {
  await withKernel(async (kernel) => {
    const agent = kernel.agents.spawn({ name: "fixme" });
    // A crash after the model asked for a tool but before its result was stored.
    const sessionId = store.transaction(
      kernel.db,
      () => store.ensureCurrentSession(kernel.db, agent.id),
    );
    kernel.db.prepare(
      `INSERT INTO messages (agent_id, turn_id, role, content, created_at, seq, session_id)
       VALUES (?1, NULL, 'user', '{"text":"earlier"}', '2026-01-01T00:00:00Z', 0, ?3),
              (?1, NULL, 'assistant', ?2, '2026-01-01T00:00:01Z', 0, ?3)`,
    ).run(
      agent.id,
      JSON.stringify({ text: "", tool_calls: [{ id: "lost", name: "x", args: {} }] }),
      sessionId,
    );
    const handle = kernel.agents.send(agent.id, "hello again");
    const events = await settle(collect(handle.events()), "events");
    assert.equal((await handle.result).status, "completed");
    const repaired = events.find((e) => e.type === "session.repaired") as
      | TalonEvent<"session.repaired">
      | undefined;
    assert.deepEqual(repaired?.data.repairs, [
      "added 1 missing tool result(s) for unanswered calls",
    ]);
  });
});

Deno.test("the loop guard warns on the third identical call and blocks the fifth in a real turn", async () => {
  await withKernel(async (kernel, dir) => {
    const same = { tool_calls: [{ name: "system_time", args: { timezone: "UTC" } }] };
    const script = await writeScript(dir, {
      turns: [{ match: "time", steps: [same, same, same, same, same, { text: "giving up" }] }],
    });
    const agent = kernel.agents.spawn({ name: "looper", model: `script:${script}` });
    const handle = kernel.agents.send(agent.id, "what time is it");
    const events = await settle(collect(handle.events()), "turn events");
    assert.equal((await handle.result).reply, "giving up");
    const ends = events.filter((e) => e.type === "tool_end") as TalonEvent<"tool_end">[];
    assert.deepEqual(ends.map((e) => e.data.ok), [true, true, true, true, false]);
    assert.doesNotMatch(ends[1]!.data.output, /loop guard/);
    assert.match(ends[2]!.data.output, /\[loop guard\] Warning: .*3 times in a row/);
    assert.match(ends[4]!.data.output, /^\[loop guard\] Blocked/);
    const calls = kernel.audit.list({ agent_id: agent.id, action: "tool.call" }).entries;
    assert.equal(calls.length, 4, "the blocked call never reached the tool");
    assert.equal(kernel.audit.verify().ok, true);
  });
});
