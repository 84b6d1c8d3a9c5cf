import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import type { TurnHandle } from "../../kernel/agent/registry.ts";
import type { Kernel } from "../../kernel/kernel.ts";
import type { TalonEvent } from "../../kernel/types.ts";
import { boot, eventsOf, lifecycleMoves, settle, withTempDir, writeScript } from "./fixtures.ts";

function readDb<T>(dir: string, sql: string, ...params: string[]): T[] {
  const db = new DatabaseSync(`${dir}/talon.db`, { readOnly: true });
  try {
    return db.prepare(sql).all(...params).map((row) => ({ ...row }) as T);
  } finally {
    db.close();
  }
}

/** Waits until the turn has streamed its first token. */
async function firstToken(handle: TurnHandle): Promise<TalonEvent> {
  for await (const event of handle.events()) {
    if (event.type === "token") return event;
    if (event.type === "done") assert.fail("the turn ended before streaming");
  }
  throw new Error("event stream ended");
}

/**
 * A script whose only reply streams slowly (20 words, a second apart): every
 * test using it ends the turn long before it could finish, even on a loaded box.
 */
function slowScript(dir: string): Promise<string> {
  const words = Array.from({ length: 20 }, (_, i) => `w${i}`).join(" ");
  return writeScript(dir, { turns: [{ match: ".", steps: [{ text: words, delay_ms: 1000 }] }] });
}

async function withBootedDir(fn: (dir: string, kernel: Kernel) => Promise<void>) {
  await withTempDir(async (dir) => {
    const kernel = await boot(dir);
    try {
      await fn(dir, kernel);
    } finally {
      await kernel.close();
    }
  });
}

Deno.test("Kernel.close() suspends running agents and reboot restores them to running", async () => {
  await withTempDir(async (dir) => {
    const first = await boot(dir);
    const running = first.agents.spawn({ name: "runner" });
    const paused = first.agents.spawn({ name: "sleeper" });
    const killed = first.agents.spawn({ name: "dead" });
    first.agents.pause(paused.id, { actor: "test" });
    first.agents.kill(killed.id);
    await first.close("test");

    const states = readDb<{ name: string; state: string }>(
      dir,
      "SELECT name, state FROM agents ORDER BY name",
    );
    assert.deepEqual(states, [
      { name: "dead", state: "killed" },
      { name: "runner", state: "suspended" },
      { name: "sleeper", state: "paused" },
    ]);

    const second = await boot(dir);
    try {
      assert.equal(second.agents.get("runner").state, "running");
      assert.equal(second.agents.get("sleeper").state, "paused");
      assert.equal(second.agents.get("dead").state, "killed");
      assert.deepEqual(lifecycleMoves(second, running.id), [
        "null->created",
        "created->running",
        "running->suspended",
        "suspended->running",
      ]);
      const stopping = eventsOf(second, ["kernel.stopping"]);
      assert.deepEqual(stopping.map((e) => e.data), [{ reason: "test" }]);
      const started = eventsOf(second, ["kernel.started"]).at(-1)!;
      assert.equal((started.data as { agents: number }).agents, 2);
      const result = await settle(second.agents.send("runner", "back?").result, "turn");
      assert.equal(result.status, "completed");
    } finally {
      await second.close();
    }
  });
});

Deno.test("Kernel.close() interrupts a turn in flight, which is not re-run after reboot", async () => {
  await withTempDir(async (dir) => {
    const script = await slowScript(dir);
    const first = await boot(dir);
    const agent = first.agents.spawn({ name: "slow", model: `script:${script}` });
    const inFlight = first.agents.send(agent.id, "go");
    const queued = first.agents.send(agent.id, "then this");
    await settle(firstToken(inFlight), "first token");
    await settle(first.close(), "close");
    const result = await inFlight.result;
    assert.equal(result.status, "interrupted");
    assert.ok(result.reply.startsWith("w0"), `partial reply kept: ${result.reply}`);
    assert.ok(!result.reply.includes("w19"));
    const queuedResult = await queued.result;
    assert.equal(queuedResult.status, "interrupted");

    const turns = () =>
      readDb<{ id: string; status: string }>(
        dir,
        "SELECT id, status FROM turns ORDER BY created_at",
      );
    assert.deepEqual(turns().map((t) => t.status), ["interrupted", "interrupted"]);
    const assistant = readDb<{ content: string }>(
      dir,
      "SELECT content FROM messages WHERE role = 'assistant'",
    );
    assert.equal(assistant.length, 1);
    assert.equal(JSON.parse(assistant[0]!.content).status, "interrupted");

    const second = await boot(dir);
    try {
      assert.equal(second.agents.get(agent.id).state, "running");
      // Give a wrongly re-run turn ample time to show itself.
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(second.agents.currentTurn(agent.id), undefined);
      const bootId = eventsOf(second, ["kernel.started"]).at(-1)!.id;
      const after = second.bus.replay(bootId, { agentId: agent.id, limit: 100 });
      assert.deepEqual(after, [], "nothing ran for the agent after reboot");
    } finally {
      await second.close();
    }
    assert.deepEqual(turns().map((t) => t.status), ["interrupted", "interrupted"]);
    const messages = readDb(dir, "SELECT id FROM messages");
    assert.equal(messages.length, 3, "two user messages and one partial reply, nothing more");
  });
});

Deno.test("bootKernel() marks turns left open by a crash interrupted and ends their event stream", async () => {
  await withTempDir(async (dir) => {
    const first = await boot(dir);
    const agent = first.agents.spawn({ name: "crashy" });
    const handle = first.agents.send(agent.id, "hello");
    await settle(handle.result, "turn");
    await first.close();
    // Simulate a crash mid-turn: the turn still running, the agent running.
    const db = new DatabaseSync(`${dir}/talon.db`);
    db.prepare("UPDATE turns SET status = 'running', ended_at = NULL WHERE id = ?").run(
      handle.turn_id,
    );
    db.prepare("UPDATE agents SET state = 'running' WHERE id = ?").run(agent.id);
    db.prepare("DELETE FROM events WHERE turn_id = ? AND type = 'done'").run(handle.turn_id);
    db.close();

    const second = await boot(dir);
    try {
      assert.equal(second.agents.get(agent.id).state, "running");
      const turn = second.db.prepare("SELECT status, error_code FROM turns WHERE id = ?").get(
        handle.turn_id,
      ) as { status: string; error_code: string };
      assert.deepEqual({ ...turn }, { status: "interrupted", error_code: "interrupted" });
      const errors = eventsOf(second, ["error"], { turnId: handle.turn_id });
      assert.equal(errors.length, 1);
      // Anyone following the turn (SSE, `agent message`) waits for `done`.
      const done = eventsOf(second, ["done"], { turnId: handle.turn_id });
      assert.equal(done.length, 1, "restore() must publish done for the interrupted turn");
      assert.equal((done[0]!.data as { status: string }).status, "interrupted");
    } finally {
      await second.close();
    }
  });
});

Deno.test("AgentRegistry.kill() ends the turn in flight and cancels queued ones", async () => {
  await withBootedDir(async (dir, kernel) => {
    const script = await slowScript(dir);
    const agent = kernel.agents.spawn({ name: "slow", model: `script:${script}` });
    const inFlight = kernel.agents.send(agent.id, "go");
    const queued = kernel.agents.send(agent.id, "later");
    await settle(firstToken(inFlight), "first token");
    kernel.agents.kill(agent.id);
    const [a, b] = await settle(Promise.all([inFlight.result, queued.result]), "results");
    assert.notEqual(a.status, "completed");
    assert.ok(["interrupted", "cancelled"].includes(a.status), a.status);
    assert.equal(b.status, "cancelled");
    assert.equal(kernel.agents.get(agent.id).state, "killed");
    assert.equal(kernel.agents.currentTurn(agent.id), undefined);
  });
});

Deno.test("AgentRegistry.stop() stops the turn in flight, keeping the partial reply", async () => {
  await withBootedDir(async (dir, kernel) => {
    const script = await slowScript(dir);
    const agent = kernel.agents.spawn({ name: "slow", model: `script:${script}` });
    assert.deepEqual(await kernel.agents.stop(agent.id, { actor: "test" }), {
      agent_id: agent.id,
      stopped: false,
      turn_id: null,
      status: null,
      reply: "",
    }, "nothing to stop yet");
    const handle = kernel.agents.send(agent.id, "go");
    await settle(firstToken(handle), "first token");
    assert.equal(kernel.agents.currentTurn(agent.id), handle.turn_id);
    const stopped = await settle(
      kernel.agents.stop(agent.id, { actor: "test" }),
      "stop within the bound",
    );
    assert.equal(stopped.stopped, true);
    assert.equal(stopped.status, "stopped");
    assert.equal(stopped.turn_id, handle.turn_id);
    const result = await settle(handle.result, "stopped turn");
    assert.equal(stopped.reply, result.reply);
    assert.equal(result.status, "stopped");
    assert.ok(result.reply.startsWith("w0"));
    const last = kernel.db.prepare(
      "SELECT content FROM messages WHERE agent_id = ? ORDER BY id DESC LIMIT 1",
    ).get(agent.id) as { content: string };
    assert.deepEqual(JSON.parse(last.content), { text: result.reply, status: "stopped" });
    assert.equal(kernel.agents.get(agent.id).state, "running");
  });
});

Deno.test("a paused agent's queued turn waits and runs after resume()", async () => {
  await withBootedDir(async (dir, kernel) => {
    // 5 words 500 ms apart: the pause lands while the first turn still streams,
    // even on a loaded box.
    const script = await writeScript(dir, {
      turns: [{ match: ".", steps: [{ text: "a b c d e", delay_ms: 500 }] }],
    });
    const agent = kernel.agents.spawn({ name: "p", model: `script:${script}` });
    const first = kernel.agents.send(agent.id, "one");
    const second = kernel.agents.send(agent.id, "two");
    await settle(firstToken(first), "first token");
    kernel.agents.pause(agent.id, { actor: "test" });
    assert.equal((await settle(first.result, "first")).status, "completed");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const queued = kernel.db.prepare("SELECT status FROM turns WHERE id = ?").get(
      second.turn_id,
    ) as { status: string };
    assert.equal(queued.status, "queued", "a paused agent starts no new turn");
    kernel.agents.resume(agent.id, { actor: "test" });
    assert.equal((await settle(second.result, "second")).status, "completed");
  });
});
