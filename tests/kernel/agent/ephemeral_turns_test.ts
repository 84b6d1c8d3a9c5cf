import assert from "node:assert/strict";
import type { SessionMessage } from "../../../kernel/types.ts";
import { collect, firstToken, talonError, withKernel, writeScript } from "../fixtures.ts";

function conversation(...texts: string[]): SessionMessage[] {
  return texts.map((text, i) => ({
    id: i + 1,
    turn_id: null,
    role: i % 2 === 0 ? "user" : "assistant",
    text,
    created_at: new Date(0).toISOString(),
  }));
}

// 10 words a second apart: every test using it ends the turn long before it finishes,
// even on a loaded box.
const SLOW = { turns: [{ match: ".", steps: [{ text: "a b c d e f g h i j", delay_ms: 1000 }] }] };

Deno.test("AgentRegistry.chat() answers beside the queue without reading or writing the session", async () => {
  await withKernel(async (kernel, dir) => {
    const script = await writeScript(dir, {
      turns: [{ match: "^second$", steps: [{ text: "saw the last message" }] }],
    });
    const agent = kernel.agents.spawn({ name: "e", model: `script:${script}` });
    await kernel.agents.send(agent.id, "stored").result;
    const before = kernel.agents.session(agent.id, { limit: 50 }).messages;
    const turn = kernel.agents.chat("e", {
      system: [],
      messages: conversation("first", "ok", "second"),
    });
    const events = await collect(kernel.agents.turnEvents(turn.turn_id, turn.after_id));
    const result = await turn.result;
    assert.equal(result.status, "completed");
    assert.equal(result.reply, "saw the last message");
    assert.equal(turn.text(), "saw the last message");
    assert.equal(events[0]!.type, "turn.started");
    assert.deepEqual(events[0]!.data, { input: "second", ephemeral: true });
    assert.equal(events.at(-1)!.type, "done");
    assert.deepEqual(kernel.agents.session(agent.id, { limit: 50 }).messages, before);
  });
});

Deno.test("AgentRegistry.chat() stops on the caller's signal and is interrupted by a kill", async () => {
  await withKernel(async (kernel, dir) => {
    const script = await writeScript(dir, SLOW);
    kernel.agents.spawn({ name: "s", model: `script:${script}` });
    const controller = new AbortController();
    const stopped = kernel.agents.chat("s", { system: [], messages: conversation("go") }, {
      signal: controller.signal,
    });
    const killed = kernel.agents.chat("s", { system: [], messages: conversation("go") });
    await firstToken(kernel.agents.turnEvents(stopped.turn_id, stopped.after_id), "stopped");
    await firstToken(kernel.agents.turnEvents(killed.turn_id, killed.after_id), "killed");
    controller.abort();
    assert.equal((await stopped.result).status, "stopped");
    kernel.agents.kill("s");
    const result = await killed.result;
    assert.equal(result.status, "interrupted");
    assert.ok(result.reply.length < "a b c d e f g h i j".length);
    assert.throws(
      () => kernel.agents.chat("s", { system: [], messages: conversation("again") }),
      talonError("illegal_transition"),
    );
  });
});

Deno.test("Kernel.close() interrupts ephemeral turns in flight and records them", async () => {
  await withKernel(async (kernel, dir) => {
    const script = await writeScript(dir, SLOW);
    kernel.agents.spawn({ name: "c", model: `script:${script}` });
    const turn = kernel.agents.chat("c", { system: [], messages: conversation("go") });
    await firstToken(kernel.agents.turnEvents(turn.turn_id, turn.after_id), "the turn");
    await kernel.close();
    assert.equal((await turn.result).status, "interrupted");
  });
});
