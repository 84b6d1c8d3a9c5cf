import assert from "node:assert/strict";
import { withMemorySlot } from "../../../kernel/agent/memory_slot.ts";
import { fitPrompt } from "../../../kernel/agent/context_fit.ts";
import type { PromptMessage } from "../../../kernel/llm/mod.ts";
import { startFakeOpenAi } from "../../fakes/openai_server.ts";
import { withKernel } from "../fixtures.ts";
import { memoryAgent } from "./memory_fixtures.ts";

Deno.test("promptSlot() puts the best facts for the message under the token budget", async () => {
  await withKernel(async (kernel) => {
    const agent = memoryAgent(kernel, "slot");
    await kernel.memory.remember(agent, { text: "The user's dog is named Rex" }, { source: "t" });
    await kernel.memory.remember(agent, { text: `dog ${"long ".repeat(200)}` }, { source: "t" });
    await kernel.memory.remember(agent, { text: "Unrelated: the sky is blue" }, { source: "t" });
    const slot = await kernel.memory.promptSlot(agent, "what is my dog called?");
    assert.ok(slot);
    assert.match(slot, /Rex/);
    assert.doesNotMatch(slot, /sky/);
    // 100 tokens ≈ 400 characters: the long fact does not fit.
    assert.doesNotMatch(slot, /long long/);
    assert.equal(await kernel.memory.promptSlot(agent, "quantum chromodynamics"), undefined);
  }, { config: "[memory]\nprompt_tokens = 100\n" });
});

Deno.test("the memory slot sits after the system prompt, and fitting drops it before cutting tool results", () => {
  const prompt: PromptMessage[] = [
    { role: "system", text: "be brief" },
    { role: "user", text: "hello" },
    { role: "tool", tool_call_id: "x", text: "r".repeat(3000) },
  ];
  const slotted = withMemorySlot(prompt, "facts ".repeat(400));
  assert.deepEqual(slotted.map((m) => m.role), ["system", "system", "user", "tool"]);
  assert.equal(withMemorySlot(prompt, undefined), prompt);
  const fitted = fitPrompt(slotted, { limitTokens: 900 });
  assert.deepEqual(fitted.messages.map((m) => m.role), ["system", "user", "tool"]);
  assert.equal(fitted.truncatedResults, 0);
  assert.equal(fitPrompt(slotted, { limitTokens: 5000 }).messages.length, 4);
});

Deno.test("every model call of a turn carries the recalled facts; an agent without memory_read gets none", async () => {
  await using server = startFakeOpenAi([
    { toolCalls: [{ name: "system_time", arguments: {} }] },
    { text: "Tom." },
    { text: "No idea." },
  ]);
  await withKernel(async (kernel) => {
    const caps = ["memory_read", "memory_write"];
    const reader = kernel.agents.spawn({ name: "reader", provider: "local", capabilities: caps });
    const blind = kernel.agents.spawn({
      name: "blind",
      provider: "local",
      capabilities: ["memory_write"],
    });
    for (const agent of [reader, blind]) {
      await kernel.memory.remember(agent, { text: "The user's cat is named Tom" }, { source: "t" });
    }
    await kernel.agents.send(reader.id, "what is my cat called?").result;
    await kernel.agents.send(blind.id, "what is my cat called?").result;
    const systems = server.requests.map((r) =>
      (r.body as { messages: { role: string; content: string }[] }).messages
        .filter((m) => m.role === "system").map((m) => m.content).join("|")
    );
    assert.equal(systems.length, 3);
    assert.match(systems[0]!, /cat is named Tom/);
    assert.match(systems[1]!, /cat is named Tom/);
    assert.doesNotMatch(systems[2]!, /Tom/);
  }, {
    config:
      `[providers.local]\nkind = "openai"\nbase_url = "${server.url}"\ndefault_model = "m1"\n`,
  });
});
