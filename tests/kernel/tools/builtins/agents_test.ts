import assert from "node:assert/strict";
import { echoReply } from "../../../../kernel/llm/mod.ts";
import type { TalonEvent } from "../../../../kernel/types.ts";
import { eventsOf, settle, withKernel, writeScript } from "../../fixtures.ts";
import { callTools } from "../fixtures.ts";

const MESSENGER = { tools: ["agent_send", "agent_list"], capabilities: ["agent_message"] };

function toolEnds(
  kernel: Parameters<typeof eventsOf>[0],
  agentId: string,
): TalonEvent<"tool_end">[] {
  return eventsOf(kernel, ["tool_end"], { agentId }) as TalonEvent<"tool_end">[];
}

Deno.test("agent_send delivers a message to another agent and returns its reply", async () => {
  await withKernel(async (kernel, dir) => {
    const helper = kernel.agents.spawn({ name: "helper" });
    const { result, ends } = await callTools(kernel, dir, {
      manifest: MESSENGER,
      calls: [{ name: "agent_send", args: { agent: "helper", message: "hello there" } }],
    });
    assert.equal(result.status, "completed");
    assert.equal(ends[0]!.data.ok, true);
    assert.equal(ends[0]!.data.output, echoReply("hello there"));
    const started = eventsOf(kernel, ["turn.started"], { agentId: helper.id });
    assert.deepEqual(started.map((e) => (e.data as { input: string }).input), ["hello there"]);
  });
});

Deno.test("agent_send refuses to message the calling agent itself", async () => {
  await withKernel(async (kernel, dir) => {
    const { result, ends } = await callTools(kernel, dir, {
      manifest: MESSENGER,
      calls: [{ name: "agent_send", args: { agent: "caller", message: "me?" } }],
    });
    assert.equal(result.reply, "done");
    assert.equal(ends[0]!.data.ok, false);
    assert.match(ends[0]!.data.output, /cannot send a message to itself/);
  });
});

Deno.test("agent_send refuses a cycle A→B→A that would deadlock", async () => {
  await withKernel(async (kernel, dir) => {
    const script = await writeScript(dir, {
      turns: [
        {
          match: "^start$",
          steps: [
            { tool_calls: [{ name: "agent_send", args: { agent: "b", message: "ping" } }] },
            { text: "a done" },
          ],
        },
        {
          match: "^ping$",
          steps: [
            { tool_calls: [{ name: "agent_send", args: { agent: "a", message: "back" } }] },
            { text: "b done" },
          ],
        },
      ],
    });
    const a = kernel.agents.spawn({ name: "a", model: `script:${script}`, ...MESSENGER });
    const b = kernel.agents.spawn({ name: "b", model: `script:${script}`, ...MESSENGER });
    const result = await settle(kernel.agents.send("a", "start").result, "turn of a", 60_000);
    assert.equal(result.status, "completed");
    assert.equal(result.reply, "a done");
    const [fromB] = toolEnds(kernel, b.id);
    assert.equal(fromB!.data.ok, false);
    assert.match(fromB!.data.output, /would deadlock: a is waiting on this call/);
    const [fromA] = toolEnds(kernel, a.id);
    assert.deepEqual([fromA!.data.ok, fromA!.data.output], [true, "b done"]);
    // a never got the second message.
    assert.equal(eventsOf(kernel, ["turn.started"], { agentId: a.id }).length, 1);
  });
});

async function chainOfThree(depth: number): Promise<{ a: string; b: string }> {
  const outputs = { a: "", b: "" };
  await withKernel(async (kernel, dir) => {
    const script = await writeScript(dir, {
      turns: [
        {
          match: "^start$",
          steps: [
            { tool_calls: [{ name: "agent_send", args: { agent: "b", message: "hop1" } }] },
            { text: "a done" },
          ],
        },
        {
          match: "^hop1$",
          steps: [
            { tool_calls: [{ name: "agent_send", args: { agent: "c", message: "hop2" } }] },
            { text: "b done" },
          ],
        },
        { match: "^hop2$", steps: [{ text: "c here" }] },
      ],
    });
    const a = kernel.agents.spawn({ name: "a", model: `script:${script}`, ...MESSENGER });
    const b = kernel.agents.spawn({ name: "b", model: `script:${script}`, ...MESSENGER });
    kernel.agents.spawn({ name: "c", model: `script:${script}` });
    const result = await settle(kernel.agents.send("a", "start").result, "turn of a", 60_000);
    assert.equal(result.reply, "a done");
    outputs.a = toolEnds(kernel, a.id)[0]!.data.output;
    outputs.b = toolEnds(kernel, b.id)[0]!.data.output;
  }, { config: `[agents]\nmax_call_depth = ${depth}\n` });
  return outputs;
}

Deno.test("agent_send stops at agents.max_call_depth", async () => {
  const limited = await chainOfThree(2);
  assert.match(limited.b, /inter-agent call depth limit 2 reached/);
  assert.equal(limited.a, "b done");
  const roomy = await chainOfThree(3);
  assert.equal(roomy.b, "c here");
});

Deno.test("agent_send reports a target that is missing or whose turn failed", async () => {
  await withKernel(async (kernel, dir) => {
    const broken = await writeScript(dir, {
      turns: [{ match: "^never$", steps: [{ text: "x" }] }],
    }, "broken.json");
    kernel.agents.spawn({ name: "broken", model: `script:${broken}` });
    kernel.agents.spawn({ name: "sleepy" });
    kernel.agents.pause("sleepy", { actor: "test" });
    const { result, ends } = await callTools(kernel, dir, {
      manifest: MESSENGER,
      calls: [
        { name: "agent_send", args: { agent: "ghost", message: "hi" } },
        { name: "agent_send", args: { agent: "broken", message: "hi" } },
        { name: "agent_send", args: { agent: "sleepy", message: "hi" } },
      ],
    });
    assert.equal(result.status, "completed");
    const out = ends.map((e) => e.data.output);
    assert.ok(ends.every((e) => !e.data.ok));
    assert.match(out[0]!, /no agent with id or name "ghost"/);
    assert.match(out[1]!, /agent "broken" did not answer: its turn failed \(driver_error: /);
    assert.match(out[2]!, /"sleepy" is paused/);
  });
});

Deno.test("agent_list lists agents that are not killed, marking the caller", async () => {
  await withKernel(async (kernel, dir) => {
    kernel.agents.spawn({ name: "helper", description: "helps" });
    kernel.agents.spawn({ name: "resting" });
    kernel.agents.pause("resting", { actor: "test" });
    kernel.agents.spawn({ name: "gone" });
    kernel.agents.kill("gone");
    const { ends } = await callTools(kernel, dir, {
      manifest: MESSENGER,
      calls: [{ name: "agent_list" }],
    });
    const { agents } = JSON.parse(ends[0]!.data.output);
    const byName = Object.fromEntries(
      agents.map((a: { name: string }) => [a.name, a]),
    );
    assert.deepEqual(Object.keys(byName).sort(), ["caller", "helper", "resting"]);
    assert.deepEqual(byName.helper, { name: "helper", description: "helps", state: "running" });
    assert.equal(byName.resting.state, "paused");
    assert.equal(byName.caller.self, true);
  });
});
