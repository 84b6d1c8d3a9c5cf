/**
 * The prompt's memory slot: before a turn's model calls, the facts that best
 * match the user's message are recalled (within the `[memory]` token budget)
 * and placed as a system message right after the system prompt. Context
 * fitting drops the slot before it cuts tool results (context_fit.ts).
 *
 * @module
 */
import type { PromptMessage } from "../llm/mod.ts";
import type { AgentView } from "../types.ts";
import type { Logger } from "../log.ts";
import type { TurnSession } from "./turn_session.ts";

/** Recalls facts for a prompt (the kernel's memory service implements it). */
export interface MemoryRecaller {
  /** The slot's text for `text`, or undefined when nothing matches. */
  promptSlot(
    agent: AgentView,
    text: string,
    options: { turnId: string; signal: AbortSignal },
  ): Promise<string | undefined>;
}

/** The memory slot of this turn's user message; undefined without one or on failure. */
export async function recallForTurn(ctx: {
  memory?: MemoryRecaller;
  agent: AgentView;
  turnId: string;
  signal: AbortSignal;
  session: TurnSession;
  log: Logger;
}): Promise<string | undefined> {
  if (!ctx.memory || !ctx.agent.manifest.capabilities.includes("memory_read")) return undefined;
  const user = ctx.session.history().findLast((m) => m.role === "user");
  if (!user) return undefined;
  try {
    return await ctx.memory.promptSlot(ctx.agent, user.text, {
      turnId: ctx.turnId,
      signal: ctx.signal,
    });
  } catch (error) {
    ctx.log.warn("memory recall for the prompt failed", { agent_id: ctx.agent.id, error });
    return undefined;
  }
}

/** `prompt` with the memory slot after its leading system message(s). */
export function withMemorySlot(
  prompt: PromptMessage[],
  slot: string | undefined,
): PromptMessage[] {
  if (slot === undefined) return prompt;
  const at = prompt.findIndex((m) => m.role !== "system");
  const index = at < 0 ? prompt.length : at;
  return [
    ...prompt.slice(0, index),
    { role: "system", text: slot, slot: "memory" },
    ...prompt.slice(index),
  ];
}
