import assert from "node:assert/strict";
import { eventsOf, settle, withKernel, writeScript } from "../fixtures.ts";

const CONFIG = `
[agents]
max_history_messages = 7
queue_limit = 64
`;

Deno.test("50 queued messages to one agent need no session repair, with or without tool calls", async () => {
  await withKernel(async (kernel, dir) => {
    const script = await writeScript(dir, {
      turns: [
        {
          match: "clock",
          steps: [
            { text: "checking", tool_calls: [{ name: "system_time", args: { timezone: "UTC" } }] },
            { text: "it is late" },
          ],
        },
        { match: ".", steps: [{ text: "noted" }] },
      ],
    });
    const agent = kernel.agents.spawn({ name: "busy", model: `script:${script}` });
    const handles = Array.from(
      { length: 50 },
      (_, i) => kernel.agents.send(agent.id, i % 3 === 0 ? `clock ${i}` : `note ${i}`),
    );
    const results = await settle(Promise.all(handles.map((h) => h.result)), "50 turns", 60_000);
    assert.deepEqual(new Set(results.map((r) => r.status)), new Set(["completed"]));
    assert.equal(results.filter((r) => r.reply === "it is late").length, 17);
    assert.deepEqual(eventsOf(kernel, ["session.repaired"], { agentId: agent.id }), []);
  }, { config: CONFIG });
});
