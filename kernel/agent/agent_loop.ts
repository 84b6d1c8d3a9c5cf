/**
 * One turn of an agent: load the session, build the prompt, stream from the
 * driver, run tool calls, loop until the model ends its turn, then persist
 * the outcome. Every token delta and tool start/end is published as it
 * happens; the session in SQLite is the source of truth.
 *
 * @module
 */
import { isTalonError, TalonError } from "../errors.ts";
import type { EventBus } from "../events/mod.ts";
import type { LlmDriver, PromptMessage } from "../llm/mod.ts";
import type { Logger } from "../log.ts";
import { redactText } from "../security/mod.ts";
import {
  appendMessage,
  type Database,
  finishTurn,
  sessionMessages,
  startTurn,
  touchAgent,
  transaction,
} from "../store/mod.ts";
import type { ToolExecutor } from "../tools/mod.ts";
import type {
  AgentView,
  SessionMessage,
  ToolCall,
  TurnResult,
  TurnStatus,
  Usage,
} from "../types.ts";

/** Why a turn was aborted: carried as the abort reason. */
export type AbortKind = "stopped" | "interrupted";

/** Everything one turn needs. */
export interface TurnContext {
  db: Database;
  bus: EventBus;
  log: Logger;
  agent: AgentView;
  turnId: string;
  driver: LlmDriver;
  tools: ToolExecutor;
  signal: AbortSignal;
  /** Agent ids of the inter-agent call chain, ending with this agent. */
  chain: readonly string[];
  maxIterations: number;
  historyLimit: number;
}

/** Runs one turn to its end and returns how it ended; never throws. */
export async function runTurn(ctx: TurnContext): Promise<TurnResult> {
  const { db, bus, agent, turnId } = ctx;
  const scope = { agentId: agent.id, turnId };
  const usage: Usage = { input_tokens: 0, output_tokens: 0 };
  let reply = "";
  let partial = "";
  let status: TurnStatus = "completed";
  let error: { code: string; message: string } | undefined;

  transaction(db, () => {
    startTurn(db, turnId);
    touchAgent(db, agent.id);
  });
  try {
    for (let iteration = 0;; iteration++) {
      if (iteration >= ctx.maxIterations) {
        reply =
          `Stopped after ${ctx.maxIterations} model calls without a final answer. Raise resources.max_iterations in the manifest or simplify the request.`;
        appendMessage(db, {
          agentId: agent.id,
          turnId,
          role: "assistant",
          content: { text: reply },
        });
        bus.publish("message", { role: "assistant", text: reply }, scope);
        break;
      }
      const messages = buildPrompt(
        agent,
        sessionMessages(db, agent.id, { limit: ctx.historyLimit, promptOnly: true }),
      );
      partial = "";
      const calls: ToolCall[] = [];
      for await (
        const chunk of ctx.driver.chat({
          model: agent.model,
          messages,
          tools: ctx.tools.definitions(agent),
          maxTokens: agent.manifest.max_tokens,
          temperature: agent.manifest.temperature,
          signal: ctx.signal,
        })
      ) {
        if (chunk.type === "text") {
          partial += chunk.text;
          bus.publish("token", { text: chunk.text }, scope);
        } else if (chunk.type === "tool_call") {
          calls.push(chunk.call);
        } else {
          usage.input_tokens += chunk.usage.input_tokens;
          usage.output_tokens += chunk.usage.output_tokens;
          bus.publish("usage", { ...chunk.usage, model: agent.model }, scope);
        }
      }
      ctx.signal.throwIfAborted();
      appendMessage(db, {
        agentId: agent.id,
        turnId,
        role: "assistant",
        content: calls.length ? { text: partial, tool_calls: calls } : { text: partial },
      });
      bus.publish("message", { role: "assistant", text: partial }, scope);
      reply = partial;
      partial = "";
      if (calls.length === 0) break;
      await runToolCalls(ctx, calls);
    }
  } catch (cause) {
    const kind = abortKind(ctx.signal);
    if (kind) {
      status = kind;
      reply = partial;
      appendMessage(db, {
        agentId: agent.id,
        turnId,
        role: "assistant",
        content: { text: partial, status: kind },
      });
    } else {
      status = "failed";
      error = {
        code: isTalonError(cause) ? cause.code : "driver_error",
        message: redactText((cause as Error)?.message ?? String(cause)),
      };
      ctx.log.warn("turn failed", { agent_id: agent.id, turn_id: turnId, error });
      bus.publish("error", error, scope);
    }
  }
  const result: TurnResult = {
    turn_id: turnId,
    agent_id: agent.id,
    status,
    reply,
    usage,
    ...(error ? { error } : {}),
  };
  transaction(db, () => {
    finishTurn(db, turnId, { status, output: reply, usage, error });
    touchAgent(db, agent.id);
  });
  bus.publish("done", result, scope);
  return result;
}

async function runToolCalls(ctx: TurnContext, calls: ToolCall[]): Promise<void> {
  const scope = { agentId: ctx.agent.id, turnId: ctx.turnId };
  for (const call of calls) {
    ctx.bus.publish("tool_start", { call_id: call.id, name: call.name, args: call.args }, scope);
  }
  const outcomes = await Promise.all(
    calls.map((call) =>
      ctx.tools.execute(call, {
        agent: ctx.agent,
        turnId: ctx.turnId,
        signal: ctx.signal,
        chain: ctx.chain,
      })
    ),
  );
  ctx.signal.throwIfAborted();
  for (const [i, call] of calls.entries()) {
    const outcome = outcomes[i]!;
    appendMessage(ctx.db, {
      agentId: ctx.agent.id,
      turnId: ctx.turnId,
      role: "tool",
      content: { text: outcome.output, tool_call_id: call.id },
    });
    ctx.bus.publish("tool_end", {
      call_id: call.id,
      name: call.name,
      ok: outcome.ok,
      output: outcome.output,
    }, scope);
  }
}

function abortKind(signal: AbortSignal): AbortKind | undefined {
  if (!signal.aborted) return undefined;
  const reason = signal.reason;
  if (reason instanceof TalonError && reason.code === "interrupted") {
    return "interrupted";
  }
  return "stopped";
}

/** Turns a stored session into a prompt: system prompt first, then history. */
export function buildPrompt(
  agent: AgentView,
  history: SessionMessage[],
): PromptMessage[] {
  const prompt: PromptMessage[] = [
    { role: "system", text: agent.manifest.system_prompt },
  ];
  for (const m of history) {
    if (m.role === "user") prompt.push({ role: "user", text: m.text });
    else if (m.role === "assistant") {
      prompt.push(
        m.tool_calls?.length
          ? { role: "assistant", text: m.text, tool_calls: m.tool_calls }
          : { role: "assistant", text: m.text },
      );
    } else {
      prompt.push({ role: "tool", tool_call_id: m.tool_call_id ?? "", text: m.text });
    }
  }
  return prompt;
}
