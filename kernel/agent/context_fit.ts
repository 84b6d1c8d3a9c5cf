/**
 * Keeping a prompt inside the model's context window. The oldest turns go
 * first, then the memory slot (recalled facts), then long tool results are
 * cut to their head; the system prompt and the current turn's user message
 * always stay. Only the prompt shrinks —
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
  let chars = toolChars(tools);
  for (const m of messages) chars += messageChars(m);
  return Math.ceil(chars / 4);
}

function messageChars(m: PromptMessage): number {
  const calls = m.role === "assistant" && m.tool_calls ? JSON.stringify(m.tool_calls).length : 0;
  return m.text.length + 8 + calls;
}

function toolChars(tools: readonly ToolDefinition[]): number {
  return tools.length ? JSON.stringify(tools).length : 0;
}

/** A fitted prompt and what was cut. */
export interface FittedPrompt {
  messages: PromptMessage[];
  droppedMessages: number;
  truncatedResults: number;
}

/**
 * Shrinks `messages` until their estimate is at most `limitTokens`: whole
 * earlier turns first (oldest first), then the memory slot, then tool
 * results longer than 1,000 characters. Returns the prompt unchanged when it already fits.
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
  const body = current.slice(head.length);
  // Drop whole turns from the front, never the current one (from the last user message).
  const sizes = body.map(messageChars);
  const currentTurn = body.findLastIndex((m) => m.role === "user");
  let chars = toolChars(tools) + head.reduce((n, m) => n + messageChars(m), 0) +
    sizes.reduce((n, size) => n + size, 0);
  let start = 0;
  while (Math.ceil(chars / 4) > options.limitTokens) {
    let next = start + 1;
    while (next <= currentTurn && body[next]!.role !== "user") next++;
    if (next > currentTurn) break;
    for (let k = start; k < next; k++) chars -= sizes[k]!;
    start = next;
  }
  result.droppedMessages = start;
  current = [...head, ...body.slice(start)];
  // Recalled facts go before a tool result is cut.
  if (promptTokens(current, tools) > options.limitTokens) {
    const slot = current.findIndex((m) => m.role === "system" && m.slot === "memory");
    if (slot >= 0) current.splice(slot, 1);
  }
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
