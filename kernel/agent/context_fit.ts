/**
 * Keeping a prompt inside the model's context window. The oldest turns go
 * first, then long tool results are cut to their head; the system prompt and
 * the current turn's user message always stay. Only the prompt shrinks —
 * the stored session keeps everything.
 *
 * @module
 */
import type { PromptMessage, ToolDefinition } from "../llm/mod.ts";

/** How many characters of a long tool result survive trimming. */
const KEPT_RESULT_CHARS = 1_000;

/** An estimate of a prompt's size in tokens. */
export function promptTokens(
  messages: readonly PromptMessage[],
  tools: readonly ToolDefinition[] = [],
): number {
  let chars = 0;
  for (const m of messages) {
    chars += m.text.length + 8;
    if (m.role === "assistant" && m.tool_calls) chars += JSON.stringify(m.tool_calls).length;
  }
  if (tools.length) chars += JSON.stringify(tools).length;
  return Math.ceil(chars / 4);
}

/** A fitted prompt and what was cut. */
export interface FittedPrompt {
  messages: PromptMessage[];
  droppedMessages: number;
  truncatedResults: number;
}

/**
 * Shrinks `messages` until their estimate is at most `limitTokens`: whole
 * earlier turns first (oldest first), then tool results longer than 1,000
 * characters. Returns the prompt unchanged when it already fits.
 */
export function fitPrompt(
  messages: readonly PromptMessage[],
  options: { limitTokens: number; tools?: readonly ToolDefinition[] },
): FittedPrompt {
  const tools = options.tools ?? [];
  let current = [...messages];
  const result = { droppedMessages: 0, truncatedResults: 0 };
  if (promptTokens(current, tools) <= options.limitTokens) return { messages: current, ...result };

  const systemCount = current.findIndex((m) => m.role !== "system");
  const head = current.slice(0, systemCount < 0 ? current.length : systemCount);
  let body = current.slice(head.length);
  while (promptTokens([...head, ...body], tools) > options.limitTokens) {
    const cutAt = nextTurnStart(body);
    if (cutAt <= 0) break;
    result.droppedMessages += cutAt;
    body = body.slice(cutAt);
  }
  current = [...head, ...body];
  if (promptTokens(current, tools) > options.limitTokens) {
    current = current.map((m) => {
      if (m.role !== "tool" || m.text.length <= KEPT_RESULT_CHARS * 2) return m;
      result.truncatedResults++;
      const cut = m.text.length - KEPT_RESULT_CHARS;
      return {
        ...m,
        text: `${m.text.slice(0, KEPT_RESULT_CHARS)}\n[trimmed to fit the context window: ${
          cut.toLocaleString("en-US")
        } of ${m.text.length.toLocaleString("en-US")} characters cut]`,
      };
    });
  }
  return { messages: current, ...result };
}

/**
 * Where the second turn of `body` starts — cutting there drops the oldest
 * turn — or 0 when only the current turn (from the last user message) is left.
 */
function nextTurnStart(body: readonly PromptMessage[]): number {
  const current = body.findLastIndex((m) => m.role === "user");
  for (let i = 1; i <= current; i++) {
    if (body[i]!.role === "user") return i;
  }
  return 0;
}
