import assert from "node:assert/strict";
import { echoReply } from "../../kernel/llm/offline.ts";
import { VERSION } from "../../kernel/version.ts";
import type { TalonEvent } from "../../kernel/types.ts";
import {
  boot,
  collect,
  eventsOf,
  firstToken,
  settle,
  talonError,
  withKernel,
  withTempDir,
  writeScript,
} from "./fixtures.ts";

Deno.test("bootKernel() publishes kernel.started and uses the offline provider without keys", async () => {
  await withKernel((kernel) => {
    const started = eventsOf(kernel, ["kernel.started"]);
    assert.equal(started.length, 1);
    assert.deepEqual(started[0]!.data, { version: VERSION, agents: 0 });
    assert.equal(kernel.providers.defaultProvider.name, "offline");
    assert.equal(kernel.closing, false);
  });
});

Deno.test("Kernel send() runs a turn end to end with the offline driver", async () => {
  await withKernel(async (kernel) => {
    const agent = kernel.agents.spawn({ name: "echo" });
    const input = "tell me about sqlite";
    const handle = kernel.agents.send("echo", input);
    assert.equal(handle.agent_id, agent.id);
    const events = await collect(handle.events());
    assert.equal(events.at(-1)!.type, "done");
    assert.ok(events.every((e) => e.turn_id === handle.turn_id && e.agent_id === agent.id));
    const types = events.map((e) => e.type);
    assert.deepEqual(types.slice(0, 2), ["turn.started", "message"]);
    assert.deepEqual(types.slice(-3), ["usage", "message", "done"]);
    const tokens = events.filter((e) => e.type === "token") as TalonEvent<"token">[];
    assert.ok(tokens.length > 3, "the reply streams as several tokens");
    assert.equal(tokens.map((e) => e.data.text).join(""), echoReply(input));

    const result = await handle.result;
    assert.equal(result.status, "completed");
    assert.equal(result.reply, echoReply(input));
    assert.ok(result.usage.output_tokens > 0);
    assert.deepEqual((events.at(-1) as TalonEvent<"done">).data, result);

    const session = kernel.db.prepare(
      "SELECT role, content, turn_id FROM messages WHERE agent_id = ? ORDER BY id",
    ).all(agent.id) as { role: string; content: string; turn_id: string }[];
    assert.deepEqual(session.map((m) => [m.role, JSON.parse(m.content).text, m.turn_id]), [
      ["user", input, handle.turn_id],
      ["assistant", echoReply(input), handle.turn_id],
    ]);
    const turn = kernel.db.prepare("SELECT status, output FROM turns WHERE id = ?").get(
      handle.turn_id,
    ) as { status: string; output: string };
    assert.deepEqual({ ...turn }, { status: "completed", output: echoReply(input) });
    assert.ok(kernel.agents.get(agent.id).last_active_at !== null);
  });
});

Deno.test("TurnHandle.events() replays a finished turn from the log", async () => {
  await withKernel(async (kernel) => {
    kernel.agents.spawn({ name: "echo" });
    const handle = kernel.agents.send("echo", "hi");
    await handle.result;
    const late = await collect(handle.events());
    assert.equal(late[0]!.type, "turn.started");
    assert.equal(late.at(-1)!.type, "done");
    assert.equal(kernel.bus.subscriberCount, 0, "the replay subscription was closed");
  });
});

Deno.test("Kernel refuses send() to a paused agent, then runs it after resume()", async () => {
  await withKernel(async (kernel) => {
    const agent = kernel.agents.spawn({ name: "echo" });
    kernel.agents.pause(agent.id, { actor: "test" });
    assert.throws(() => kernel.agents.send(agent.id, "hello"), talonError("illegal_transition"));
    kernel.agents.resume(agent.id, { actor: "test" });
    // Sent in the same tick as resume(): must not be lost behind the drain
    // loop resume() started.
    const result = await settle(kernel.agents.send(agent.id, "hello").result, "turn after resume");
    assert.equal(result.status, "completed");
  });
});

Deno.test("Kernel runs a message sent right after the previous turn's result resolves", async () => {
  await withKernel(async (kernel) => {
    kernel.agents.spawn({ name: "echo" });
    // Awaited directly: the next send() runs in the first tick after the
    // result resolves, while the agent's drain loop is winding down.
    const first = await kernel.agents.send("echo", "one").result;
    const second = await settle(kernel.agents.send("echo", "two").result, "second turn");
    assert.equal(first.status, "completed");
    assert.equal(second.status, "completed");
    assert.equal(second.reply, echoReply("two"));
  });
});

Deno.test("Kernel runs one turn at a time per agent, in the order sent", async () => {
  await withKernel(async (kernel) => {
    const agent = kernel.agents.spawn({ name: "serial" });
    const handles = ["first", "second", "third"].map((t) => kernel.agents.send(agent.id, t));
    const results = await settle(Promise.all(handles.map((h) => h.result)), "three turns");
    assert.deepEqual(results.map((r) => r.status), ["completed", "completed", "completed"]);
    const log = eventsOf(kernel, ["token", "done"], { agentId: agent.id });
    const order = log.map((e) => `${e.turn_id}:${e.type}`);
    // Each turn's events form one contiguous block ending in done, in send order.
    const blocks = handles.map((h) => order.filter((o) => o.startsWith(h.turn_id)));
    assert.deepEqual(order, blocks.flat());
    for (const block of blocks) {
      assert.ok(block.length > 2, "the turn streamed tokens");
      assert.ok(block.at(-1)!.endsWith(":done"));
      assert.ok(block.slice(0, -1).every((o) => o.endsWith(":token")));
    }
  });
});

Deno.test("Kernel answers each queued message with only the history before it", async () => {
  await withKernel(async (kernel) => {
    const agent = kernel.agents.spawn({ name: "serial" });
    const inputs = ["first", "second", "third"];
    const handles = inputs.map((t) => kernel.agents.send(agent.id, t));
    const results = await settle(Promise.all(handles.map((h) => h.result)), "three turns");
    // A queued turn must not see user messages of turns queued after it.
    assert.deepEqual(results.map((r) => r.reply), inputs.map(echoReply));
  });
});

Deno.test("Kernel runs turns of different agents concurrently", async () => {
  await withKernel(async (kernel, dir) => {
    // 8 words a second apart: a is still streaming when b starts, with seconds to spare.
    const script = await writeScript(dir, {
      turns: [{ match: ".", steps: [{ text: "a b c d e f g h", delay_ms: 1000 }] }],
    });
    const a = kernel.agents.spawn({ name: "a", model: `script:${script}` });
    const b = kernel.agents.spawn({ name: "b", model: `script:${script}` });
    const ha = kernel.agents.send(a.id, "go");
    await firstToken(ha.events(), "a's turn");
    const hb = kernel.agents.send(b.id, "go");
    await firstToken(hb.events(), "b's turn");
    assert.equal(kernel.agents.currentTurn(a.id), ha.turn_id, "b streamed while a still ran");
    const [ra, rb] = await Promise.all([
      kernel.agents.stop(a.id, { actor: "test" }),
      kernel.agents.stop(b.id, { actor: "test" }),
    ]);
    assert.deepEqual([ra.status, rb.status], ["stopped", "stopped"], "neither had finished");
  });
});

Deno.test("a second bootKernel() on a data dir in use fails with data_dir_locked", async () => {
  await withKernel(async (_kernel, dir) => {
    await assert.rejects(boot(dir), talonError("data_dir_locked", /data dir/));
  });
});

Deno.test("bootKernel() refuses an invalid config.toml and a data dir that is a file", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/config.toml`, "[server]\nhots = 1\n");
    await assert.rejects(boot(dir), talonError("invalid_config", /server\.hots/));
    await Deno.writeTextFile(`${dir}/file`, "");
    await assert.rejects(boot(`${dir}/file`), talonError("invalid_config", /file/));
  });
});

Deno.test("Kernel.close() is idempotent and refuses new work with shutting_down", async () => {
  await withTempDir(async (dir) => {
    const kernel = await boot(dir);
    const agent = kernel.agents.spawn({ name: "echo" });
    const closing = kernel.close();
    assert.equal(kernel.closing, true);
    assert.equal(kernel.close(), closing);
    assert.throws(() => kernel.agents.send(agent.id, "late"), talonError("shutting_down"));
    assert.throws(() => kernel.agents.spawn({ name: "late" }), talonError("shutting_down"));
    await closing;
    // The lock is released: the dir boots again.
    const again = await boot(dir);
    await again.close();
  });
});
