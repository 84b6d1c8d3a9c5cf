import assert from "node:assert/strict";
import { applyEvent, startTurn, turnsFromSession } from "../../../islands/lib/turn_view.ts";
import type { SessionMessage } from "../../../kernel/types.ts";

const at = "2026-01-01T00:00:00.000Z";

Deno.test("turnsFromSession() groups messages by user input and joins tool results to their calls", () => {
  const messages: SessionMessage[] = [
    { id: 1, turn_id: "a", role: "assistant", text: "left from an older page", created_at: at },
    { id: 2, turn_id: "b", role: "user", text: "time?", created_at: at },
    {
      id: 3,
      turn_id: "b",
      role: "assistant",
      text: "",
      tool_calls: [{ id: "c1", name: "system_time", args: { timezone: "UTC" } }],
      created_at: at,
    },
    { id: 4, turn_id: "b", role: "tool", text: "12:00", tool_call_id: "c1", created_at: at },
    { id: 5, turn_id: "b", role: "assistant", text: "noon", created_at: at },
    { id: 6, turn_id: "c", role: "user", text: "long story", created_at: at },
    { id: 7, turn_id: "c", role: "assistant", text: "once", status: "stopped", created_at: at },
  ];
  const turns = turnsFromSession(messages);
  assert.deepEqual(turns.map((t) => [t.input, t.status]), [
    [null, "complete"],
    ["time?", "complete"],
    ["long story", "stopped"],
  ]);
  assert.deepEqual(turns[1]!.blocks, [
    {
      kind: "tool",
      id: "c1",
      name: "system_time",
      args: { timezone: "UTC" },
      output: "12:00",
    },
    { kind: "text", text: "noon" },
  ]);
});

Deno.test("applyEvent() builds a live turn in stream order: tokens, tool card start to end, done", () => {
  let turn = startTurn("k", null);
  const events: [string, unknown][] = [
    ["turn.started", { input: "hi" }],
    ["token", { text: "Let " }],
    ["token", { text: "me check." }],
    ["tool_start", { call_id: "c1", name: "system_time", args: {} }],
    ["tool_end", { call_id: "c1", name: "system_time", ok: true, output: "now" }],
    ["token", { text: "Done" }],
    ["done", { status: "stopped" }],
  ];
  const seen: string[] = [];
  for (const [type, data] of events) {
    turn = applyEvent(turn, type, data);
    const tool = turn.blocks.find((b) => b.kind === "tool");
    seen.push(tool?.kind === "tool" ? String(tool.output) : "-");
  }
  assert.deepEqual(seen, ["-", "-", "-", "undefined", "now", "now", "now"]);
  assert.equal(turn.input, "hi");
  assert.equal(turn.status, "stopped");
  assert.deepEqual(turn.blocks.map((b) => b.kind === "text" ? b.text : b.name), [
    "Let me check.",
    "system_time",
    "Done",
  ]);
  const failed = applyEvent(
    applyEvent(startTurn("x", "q"), "error", { code: "budget_exceeded", message: "over budget" }),
    "done",
    { status: "failed", error: { message: "later" } },
  );
  assert.equal(failed.error, "over budget");
  assert.equal(failed.status, "failed");
});

Deno.test("turnsFromSession() takes a turn's end from its user message when no answer was stored", () => {
  const messages: SessionMessage[] = [
    {
      id: 1,
      turn_id: "a",
      role: "user",
      text: "slow again",
      turn_status: "interrupted",
      turn_error: "Talon stopped while this turn was in flight",
      created_at: at,
    },
    { id: 2, turn_id: "b", role: "user", text: "why?", turn_status: "failed", created_at: at },
    { id: 3, turn_id: "b", role: "assistant", text: "Because", created_at: at },
    { id: 4, turn_id: "c", role: "user", text: "fine", created_at: at },
  ];
  assert.deepEqual(
    turnsFromSession(messages).map((t) => [t.input, t.status, t.error, t.blocks.length]),
    [
      ["slow again", "interrupted", "Talon stopped while this turn was in flight", 0],
      ["why?", "failed", undefined, 1],
      ["fine", "complete", undefined, 0],
    ],
  );
});
