/**
 * Session repair, run on the prompt before every LLM call: providers reject
 * histories that a crash, a stop or a history limit can leave behind. The
 * stored session is never changed; each repair is described so the loop can
 * record it.
 *
 * Repairs, in order: history that starts mid-exchange is dropped up to the
 * first user message; empty user/assistant messages are dropped; tool results
 * that answer no pending call (or answer one twice) are dropped; calls left
 * without a result get a synthetic error result; consecutive messages of the
 * same role are merged.
 *
 * @module
 */
import type { PromptMessage } from "../llm/mod.ts";
import type { ToolCall } from "../types.ts";

/** A repaired prompt and what was done to it. */
export interface RepairedPrompt {
  messages: PromptMessage[];
  repairs: string[];
}

/** Text given to the model for a call whose result was never recorded. */
export const MISSING_RESULT =
  "error: no result was recorded for this call (the turn was interrupted); call it again if you still need it";

/** Repairs a prompt (system message first, if any); returns it and the repairs made. */
export function repairPrompt(prompt: readonly PromptMessage[]): RepairedPrompt {
  const repairs: string[] = [];
  const system = prompt.filter((m) => m.role === "system");
  let history = prompt.filter((m) => m.role !== "system");

  const firstUser = history.findIndex((m) => m.role === "user");
  const lead = firstUser < 0 ? history.length : firstUser;
  if (lead > 0) {
    repairs.push(`dropped ${lead} message(s) before the first user message`);
    history = history.slice(lead);
  }

  const nonEmpty = history.filter((m) =>
    !((m.role === "user" && m.text.trim() === "") ||
      (m.role === "assistant" && m.text.trim() === "" && !m.tool_calls?.length))
  );
  if (nonEmpty.length < history.length) {
    repairs.push(`dropped ${history.length - nonEmpty.length} empty message(s)`);
  }

  const paired: PromptMessage[] = [];
  let pending: ToolCall[] = [];
  const answered = new Set<string>();
  let orphans = 0;
  let synthesized = 0;
  const closePending = (): void => {
    for (const call of pending) {
      if (answered.has(call.id)) continue;
      paired.push({ role: "tool", tool_call_id: call.id, text: MISSING_RESULT });
      synthesized++;
    }
    pending = [];
    answered.clear();
  };
  for (const m of nonEmpty) {
    if (m.role === "tool") {
      const known = pending.some((c) => c.id === m.tool_call_id);
      if (!known || answered.has(m.tool_call_id)) {
        orphans++;
        continue;
      }
      answered.add(m.tool_call_id);
      paired.push(m);
      continue;
    }
    closePending();
    paired.push(m);
    if (m.role === "assistant" && m.tool_calls?.length) pending = [...m.tool_calls];
  }
  closePending();
  if (orphans > 0) repairs.push(`dropped ${orphans} tool result(s) that answer no pending call`);
  if (synthesized > 0) {
    repairs.push(`added ${synthesized} missing tool result(s) for unanswered calls`);
  }

  const merged: PromptMessage[] = [];
  let merges = 0;
  for (const m of paired) {
    const prev = merged[merged.length - 1];
    if (prev && prev.role === "user" && m.role === "user") {
      merged[merged.length - 1] = { role: "user", text: `${prev.text}\n\n${m.text}` };
      merges++;
    } else if (
      prev && prev.role === "assistant" && m.role === "assistant" && !prev.tool_calls?.length
    ) {
      const text = [prev.text, m.text].filter((t) => t.trim() !== "").join("\n\n");
      merged[merged.length - 1] = m.tool_calls?.length
        ? { role: "assistant", text, tool_calls: m.tool_calls }
        : { role: "assistant", text };
      merges++;
    } else {
      merged.push(m);
    }
  }
  if (merges > 0) repairs.push(`merged ${merges} consecutive same-role message(s)`);

  return { messages: [...system, ...merged], repairs };
}
