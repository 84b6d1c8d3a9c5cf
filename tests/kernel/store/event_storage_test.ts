import assert from "node:assert/strict";
import type { TalonEvent } from "../../../kernel/types.ts";
import { withKernel } from "../fixtures.ts";

Deno.test("a turn's events read back exactly as published, stored without the text its rows hold", () =>
  withKernel(async (kernel) => {
    const agent = kernel.agents.spawn({ name: "compact" });
    const live: TalonEvent[] = [];
    const stop = kernel.bus.tap(["turn.started", "message", "done", "usage"], (e) => live.push(e));
    const turn = kernel.agents.send(agent.id, "a message whose text is stored once");
    const end = await turn.result;
    stop();
    assert.equal(end.status, "completed");
    assert.deepEqual(live.map((e) => e.type), [
      "turn.started",
      "message",
      "usage",
      "message",
      "done",
    ]);
    const read = kernel.bus.replay(0, { limit: 1000, turnId: turn.turn_id })
      .filter((e) => e.type !== "token");
    assert.deepEqual(read, live);
    const stored = kernel.db.prepare(
      "SELECT type, data FROM events WHERE turn_id = ? AND type <> 'token' ORDER BY id",
    )
      .all(turn.turn_id) as { type: string; data: string }[];
    for (const row of stored) {
      assert.ok(!row.data.includes("stored once"), `${row.type} repeats the input: ${row.data}`);
      assert.ok(!row.data.includes(end.reply), `${row.type} repeats the reply: ${row.data}`);
    }
  }));

Deno.test("an event whose text differs from its turn's rows is stored whole", () =>
  withKernel(async (kernel) => {
    const agent = kernel.agents.spawn({ name: "whole" });
    const turn = kernel.agents.send(agent.id, "hello");
    await turn.result;
    const odd = kernel.bus.publish("message", { role: "user", text: "not the input" }, {
      agentId: agent.id,
      turnId: turn.turn_id,
    });
    const other = kernel.bus.publish("turn.started", { input: "hello", ephemeral: true }, {
      agentId: agent.id,
      turnId: turn.turn_id,
    });
    const read = kernel.bus.replay(odd.id - 1, { limit: 10 });
    assert.deepEqual(read, [odd, other]);
  }));
