/**
 * One LLM call of a turn: repair the prompt, fit it to the context window,
 * reserve its worst-case cost, stream it (publishing every token delta,
 * redacted by a streaming redactor that holds back a possible secret's tail),
 * then settle the reservation to the real usage. A context-length error is
 * recovered once by trimming the prompt and calling again.
 *
 * @module
 */
import { isTalonError } from "../errors.ts";
import type { ChatChunk, ChatRequest, PromptMessage } from "../llm/mod.ts";
import { estimateTokens } from "../llm/mod.ts";
import type { BudgetLedger, Reservation } from "../scheduler/mod.ts";
import type { AgentView, ToolCall, Usage } from "../types.ts";
import type { EventBus } from "../events/mod.ts";
import type { Logger } from "../log.ts";
import type { SecretSet } from "../security/mod.ts";
import { type Database, transaction } from "../store/mod.ts";
import type { ToolExecutor } from "../tools/mod.ts";
import { fitPrompt, promptTokens } from "./context_fit.ts";
import { repairPrompt } from "./session_repair.ts";

/** Streams one chat call; the registry wraps the driver with retries and fallbacks. */
export type ChatFn = (request: ChatRequest) => AsyncIterable<ChatChunk>;

/** What {@link callModel} needs. */
export interface ModelCallContext {
  /** Where the call's usage row (and what {@link ModelCallHooks.onReply} stores) is written. */
  db: Database;
  bus: EventBus;
  log: Logger;
  agent: AgentView;
  turnId: string;
  chat: ChatFn;
  tools: ToolExecutor;
  ledger: BudgetLedger;
  signal: AbortSignal;
  /** Redacted from every delta before it is published or kept. */
  secrets: SecretSet;
  /** The model's context window in tokens, when the catalog knows it. */
  contextWindow?: number;
}

/** What one call produced. */
export interface ModelReply {
  text: string;
  calls: ToolCall[];
  stopReason: "end_turn" | "tool_use" | "max_tokens";
  usage: Usage;
}

/** What the caller of {@link callModel} hooks into. */
export interface ModelCallHooks {
  /** Sees each delta as it streams (the turn keeps its partial answer from it). */
  onText: (delta: string) => void;
  /**
   * Stores what the reply makes of the session; runs in the same transaction
   * as the call's usage row and `usage` event, so a model step is one commit.
   */
  onReply?: (reply: ModelReply) => void;
}

/** Runs one model call over `prompt`. */
export async function callModel(
  ctx: ModelCallContext,
  prompt: PromptMessage[],
  hooks: ModelCallHooks,
): Promise<ModelReply> {
  const { agent, bus } = ctx;
  const scope = { agentId: agent.id, turnId: ctx.turnId };
  await ctx.tools.prepareTools?.(agent, ctx.signal);
  const tools = ctx.tools.definitions(agent);
  const maxTokens = agent.manifest.max_tokens;
  const repaired = repairPrompt(prompt);
  if (repaired.repairs.length > 0) {
    ctx.log.info("session repaired for the prompt", {
      agent_id: agent.id,
      turn_id: ctx.turnId,
      repairs: repaired.repairs,
    });
    bus.publish("session.repaired", { repairs: repaired.repairs }, scope);
  }
  let messages = repaired.messages;
  if (ctx.contextWindow !== undefined) {
    messages = fitPrompt(messages, {
      limitTokens: Math.max(1, ctx.contextWindow - maxTokens),
      tools,
    }).messages;
  }
  for (let attempt = 0;; attempt++) {
    const estimate = promptTokens(messages, tools);
    const reservation = ctx.ledger.reserve(agent, {
      model: agent.model,
      promptTokens: estimate,
      maxTokens,
    });
    const started = performance.now();
    let text = "";
    const calls: ToolCall[] = [];
    let end: Extract<ChatChunk, { type: "end" }> | undefined;
    const redactor = ctx.secrets.stream();
    const release = (delta: string): void => {
      if (delta === "") return;
      text += delta;
      hooks.onText(delta);
      bus.publish("token", { text: delta }, scope);
    };
    try {
      for await (
        const chunk of ctx.chat({
          model: agent.model,
          messages,
          tools,
          maxTokens,
          temperature: agent.manifest.temperature,
          signal: ctx.signal,
        })
      ) {
        if (chunk.type === "text") {
          release(redactor.push(chunk.text));
        } else if (chunk.type === "tool_call") {
          calls.push(chunk.call);
        } else {
          end = chunk;
        }
      }
      release(redactor.flush());
      ctx.signal.throwIfAborted();
    } catch (cause) {
      release(redactor.flush());
      const produced = text !== "" || calls.length > 0;
      settleAfterFailure(ctx, reservation, {
        produced,
        usage: { input_tokens: estimate, output_tokens: estimateTokens(text) },
        latencyMs: performance.now() - started,
      });
      if (
        attempt === 0 && !produced && !ctx.signal.aborted &&
        isTalonError(cause, "context_too_long")
      ) {
        const fitted = fitPrompt(messages, { limitTokens: Math.floor(estimate / 2), tools });
        ctx.log.warn("context too long; retrying with a trimmed prompt", {
          agent_id: agent.id,
          turn_id: ctx.turnId,
          dropped_messages: fitted.droppedMessages,
          truncated_results: fitted.truncatedResults,
        });
        messages = repairPrompt(fitted.messages).messages;
        continue;
      }
      throw cause;
    }
    const usage = end?.usage ?? {
      input_tokens: estimate,
      output_tokens: estimateTokens(text),
    };
    const model = end?.model ?? agent.model;
    const reply: ModelReply = { text, calls, stopReason: end?.stopReason ?? "end_turn", usage };
    transaction(ctx.db, () => {
      const metered = ctx.ledger.settle(reservation, {
        provider: agent.provider,
        model,
        usage,
        turnId: ctx.turnId,
        latencyMs: performance.now() - started,
      });
      bus.publish("usage", { ...usage, model, ...metered }, scope);
      hooks.onReply?.(reply);
    });
    return reply;
  }
}

/** A failed call that streamed something was still billed: meter the estimate. */
function settleAfterFailure(
  ctx: ModelCallContext,
  reservation: Reservation,
  failed: { produced: boolean; usage: Usage; latencyMs: number },
): void {
  if (!failed.produced) {
    ctx.ledger.release(reservation);
    return;
  }
  try {
    ctx.ledger.settle(reservation, {
      provider: ctx.agent.provider,
      model: ctx.agent.model,
      usage: failed.usage,
      turnId: ctx.turnId,
      latencyMs: failed.latencyMs,
    });
  } catch (error) {
    ctx.log.error("could not meter a failed call", { turn_id: ctx.turnId, error });
  }
}
