import assert from "node:assert/strict";
import { MISSING_RESULT, repairPrompt } from "../../../kernel/agent/session_repair.ts";
import type { PromptMessage } from "../../../kernel/llm/mod.ts";

const sys: PromptMessage = { role: "system", text: "be brief" };
const callX = { id: "x", name: "lookup", args: {} };
const callY = { id: "y", name: "lookup", args: { q: 1 } };

Deno.test("repairPrompt() leaves a well-formed prompt alone", () => {
  const prompt: PromptMessage[] = [
    sys,
    { role: "user", text: "hi" },
    { role: "assistant", text: "", tool_calls: [callX, callY] },
    { role: "tool", tool_call_id: "x", text: "1" },
    { role: "tool", tool_call_id: "y", text: "2" },
    { role: "assistant", text: "done" },
  ];
  assert.deepEqual(repairPrompt(prompt), { messages: prompt, repairs: [] });
});

Deno.test("repairPrompt() adds a result for a call left unanswered by a crash", () => {
  const { messages, repairs } = repairPrompt([
    sys,
    { role: "user", text: "hi" },
    { role: "assistant", text: "", tool_calls: [callX, callY] },
    { role: "tool", tool_call_id: "x", text: "1" },
    { role: "user", text: "again" },
  ]);
  assert.deepEqual(messages.slice(2), [
    { role: "assistant", text: "", tool_calls: [callX, callY] },
    { role: "tool", tool_call_id: "x", text: "1" },
    { role: "tool", tool_call_id: "y", text: MISSING_RESULT },
    { role: "user", text: "again" },
  ]);
  assert.deepEqual(repairs, ["added 1 missing tool result(s) for unanswered calls"]);
});

Deno.test("repairPrompt() drops orphan and duplicate tool results", () => {
  const { messages, repairs } = repairPrompt([
    sys,
    { role: "user", text: "hi" },
    { role: "tool", tool_call_id: "ghost", text: "?" },
    { role: "assistant", text: "", tool_calls: [callX] },
    { role: "tool", tool_call_id: "x", text: "1" },
    { role: "tool", tool_call_id: "x", text: "1 again" },
    { role: "assistant", text: "ok" },
  ]);
  assert.deepEqual(messages.map((m) => m.role), [
    "system",
    "user",
    "assistant",
    "tool",
    "assistant",
  ]);
  assert.deepEqual(repairs, ["dropped 2 tool result(s) that answer no pending call"]);
});

Deno.test("repairPrompt() merges consecutive same-role messages and drops empty ones", () => {
  const { messages, repairs } = repairPrompt([
    sys,
    { role: "user", text: "one" },
    { role: "user", text: "  " },
    { role: "user", text: "two" },
    { role: "assistant", text: "" },
    { role: "assistant", text: "a" },
    { role: "assistant", text: "b", tool_calls: [callX] },
    { role: "tool", tool_call_id: "x", text: "r" },
  ]);
  assert.deepEqual(messages, [
    sys,
    { role: "user", text: "one\n\ntwo" },
    { role: "assistant", text: "a\n\nb", tool_calls: [callX] },
    { role: "tool", tool_call_id: "x", text: "r" },
  ]);
  assert.deepEqual(repairs, [
    "dropped 2 empty message(s)",
    "merged 2 consecutive same-role message(s)",
  ]);
});

Deno.test("repairPrompt() drops history cut mid-exchange before the first user message", () => {
  const { messages, repairs } = repairPrompt([
    sys,
    { role: "tool", tool_call_id: "x", text: "r" },
    { role: "assistant", text: "so" },
    { role: "user", text: "next" },
  ]);
  assert.deepEqual(messages, [sys, { role: "user", text: "next" }]);
  assert.deepEqual(repairs, ["dropped 2 message(s) before the first user message"]);
});
