import assert from "node:assert/strict";
import { fitPrompt, promptTokens } from "../../../kernel/agent/context_fit.ts";
import type { PromptMessage } from "../../../kernel/llm/mod.ts";

function conversation(turns: number, resultChars = 40): PromptMessage[] {
  const prompt: PromptMessage[] = [{ role: "system", text: "sys" }];
  for (let i = 0; i < turns; i++) {
    prompt.push(
      { role: "user", text: `question ${i}` },
      { role: "assistant", text: "", tool_calls: [{ id: `c${i}`, name: "t", args: {} }] },
      { role: "tool", tool_call_id: `c${i}`, text: "r".repeat(resultChars) },
      { role: "assistant", text: `answer ${i}` },
    );
  }
  return prompt;
}

Deno.test("fitPrompt() returns a prompt that fits unchanged", () => {
  const prompt = conversation(3);
  const fitted = fitPrompt(prompt, { limitTokens: 10_000 });
  assert.deepEqual(fitted, { messages: prompt, droppedMessages: 0, truncatedResults: 0 });
});

Deno.test("fitPrompt() drops whole turns, oldest first, keeping system and current turn", () => {
  const prompt = conversation(10);
  const limit = Math.ceil(promptTokens(prompt) / 2);
  const fitted = fitPrompt(prompt, { limitTokens: limit });
  assert.ok(promptTokens(fitted.messages) <= limit);
  assert.equal(fitted.messages[0]!.text, "sys");
  assert.equal(fitted.messages[1]!.role, "user", "history starts at a turn boundary");
  assert.equal(fitted.messages.at(-1)!.text, "answer 9");
  assert.equal(fitted.droppedMessages % 4, 0);
  assert.ok(fitted.droppedMessages > 0);
});

Deno.test("fitPrompt() cuts long tool results when dropping turns is not enough", () => {
  const prompt = conversation(1, 50_000);
  const fitted = fitPrompt(prompt, { limitTokens: 2_000 });
  assert.equal(fitted.droppedMessages, 0, "the current turn is never dropped");
  assert.equal(fitted.truncatedResults, 1);
  const result = fitted.messages.find((m) => m.role === "tool")!;
  assert.match(
    result.text,
    /\[trimmed to fit the context window: 49,000 of 50,000 characters cut\]$/,
  );
  assert.ok(promptTokens(fitted.messages) <= 2_000);
});
