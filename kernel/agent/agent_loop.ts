/**
 * One turn of an agent: load the session, build the prompt, call the model
 * (streaming every token delta), run the tool calls it asks for, and loop
 * until the model ends its turn — within the iteration cap, the loop guard,
 * the budget and the continuation limit. The turn's session (the agent's in
 * SQLite, or an ephemeral one) is the source of truth for its prompt; every
 * step is published on the bus as it happens.
 *
 * @module
 */
import { isTalonError, TalonError } from "../errors.ts";
import { CONTINUE_PROMPT, type PromptMessage } from "../llm/mod.ts";
import { redactText } from "../security/mod.ts";
import { finishTurn, startTurn, touchAgent, transaction } from "../store/mod.ts";
import type {
  AgentView,
  SessionMessage,
  ToolCall,
  TurnResult,
  TurnStatus,
  Usage,
} from "../types.ts";
import { LoopGuard } from "./loop_guard.ts";
import { type MemoryRecaller, recallForTurn, withMemorySlot } from "./memory_slot.ts";
import { callModel, type ModelCallContext, type ModelReply } from "./model_call.ts";
import { runToolRound, type ToolRoundContext } from "./tool_round.ts";
import { withSummary } from "./turn_session.ts";

/** Why a turn was aborted: carried as the abort reason. */
export type AbortKind = "stopped" | "interrupted";

/** Everything one turn needs: what its model calls and tool rounds need, and its limits. */
export interface TurnContext extends ModelCallContext, ToolRoundContext {
  maxIterations: number;
  maxContinuations: number;
  /** Prompt text of the skills the agent attaches, appended to its system prompt. */
  skillPrompt?: string;
  /** Recalls facts for the prompt's memory slot. */
  memory?: MemoryRecaller;
}

/** Runs one turn to its end and returns how it ended; never throws. */
export async function runTurn(ctx: TurnContext): Promise<TurnResult> {
  const { db, bus, agent, turnId } = ctx;
  const scope = { agentId: agent.id, turnId };
  const usage: Usage = { input_tokens: 0, output_tokens: 0 };
  const guard = new LoopGuard();
  let reply = "";
  let partial = "";
  let status: TurnStatus = "completed";
  let error: { code: string; message: string } | undefined;

  transaction(db, () => {
    startTurn(db, turnId);
    touchAgent(db, agent.id);
  });
  try {
    // Segments of a reply cut off by max_tokens, continued on the next call.
    const carried: string[] = [];
    const memorySlot = await recallForTurn(ctx);
    for (let iteration = 0;; iteration++) {
      if (iteration >= ctx.maxIterations) {
        const note =
          `Stopped after ${ctx.maxIterations} model calls without a final answer. Raise resources.max_iterations in the manifest or simplify the request.`;
        reply = carried.length ? `${carried.join("")}\n\n${note}` : note;
        saveAssistant(ctx, { text: reply });
        break;
      }
      const history = ctx.session.history();
      const prompt = withMemorySlot(
        withSummary(buildPrompt(agent, history, ctx.skillPrompt), ctx.session.summary?.()),
        memorySlot,
      );
      for (const segment of carried) {
        prompt.push({ role: "assistant", text: segment }, { role: "user", text: CONTINUE_PROMPT });
      }
      partial = carried.join("");
      const continues = (answer: ModelReply): boolean =>
        answer.calls.length === 0 && answer.stopReason === "max_tokens" &&
        carried.length < ctx.maxContinuations;
      const answer = await callModel(ctx, prompt, {
        onText: (delta) => (partial += delta),
        // The reply is stored in the same commit as the call's usage.
        onReply: (answer) => {
          if (continues(answer)) return;
          const text = carried.join("") + answer.text;
          saveAssistant(ctx, answer.calls.length ? { text, tool_calls: answer.calls } : { text });
        },
      });
      usage.input_tokens += answer.usage.input_tokens;
      usage.output_tokens += answer.usage.output_tokens;
      if (continues(answer)) {
        carried.push(answer.text);
        continue;
      }
      reply = carried.join("") + answer.text;
      carried.length = 0;
      partial = "";
      if (answer.calls.length === 0) break;
      await runToolRound(ctx, guard, answer.calls);
    }
  } catch (cause) {
    const kind = abortKind(ctx.signal);
    if (kind) {
      status = kind;
      reply = partial;
      ctx.session.append(turnId, [{ role: "assistant", content: { text: partial, status: kind } }]);
    } else {
      status = "failed";
      error = {
        code: isTalonError(cause) ? cause.code : "driver_error",
        message: ctx.secrets.redact(redactText((cause as Error)?.message ?? String(cause))),
      };
      ctx.log.warn("turn failed", { agent_id: agent.id, turn_id: turnId, error });
      if (isTalonError(cause, "budget_exceeded") && cause.details) {
        bus.publish("budget", cause.details as never, scope);
      }
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
  // The turn's record and its `done` event are one commit.
  transaction(db, () => {
    finishTurn(db, turnId, { status, output: reply, usage, error });
    touchAgent(db, agent.id);
    bus.publish("done", result, scope);
  });
  return result;
}

function saveAssistant(
  ctx: TurnContext,
  content: { text: string; tool_calls?: ToolCall[] },
): void {
  const stored = content.tool_calls
    ? {
      ...content,
      tool_calls: content.tool_calls.map((c) => ({ ...c, args: ctx.secrets.redactValue(c.args) })),
    }
    : content;
  ctx.session.append(ctx.turnId, [{ role: "assistant", content: stored }]);
  ctx.bus.publish("message", { role: "assistant", text: content.text }, {
    agentId: ctx.agent.id,
    turnId: ctx.turnId,
  });
}

function abortKind(signal: AbortSignal): AbortKind | undefined {
  if (!signal.aborted) return undefined;
  const reason = signal.reason;
  if (reason instanceof TalonError && reason.code === "interrupted") {
    return "interrupted";
  }
  return "stopped";
}

/** What a partial answer (stopped or interrupted) carries in later prompts, after its text. */
export const CUT_OFF_NOTE: Record<"stopped" | "interrupted", string> = {
  stopped: "[This answer was cut off: the user stopped it before it was finished.]",
  interrupted: "[This answer was cut off: Talon stopped before it was finished.]",
};

/**
 * Turns a stored session into a prompt: system prompt (with the attached
 * skills' text after it) first, then history. A partial answer (marked
 * `stopped` or `interrupted`) keeps its text with {@link CUT_OFF_NOTE} after
 * it, so the model never takes it for a complete one.
 */
export function buildPrompt(
  agent: AgentView,
  history: SessionMessage[],
  skillPrompt = "",
): PromptMessage[] {
  const system = skillPrompt === ""
    ? agent.manifest.system_prompt
    : `${agent.manifest.system_prompt}\n\n${skillPrompt}`;
  const prompt: PromptMessage[] = [{ role: "system", text: system }];
  for (const m of history) {
    if (m.role === "user") prompt.push({ role: "user", text: m.text });
    else if (m.role === "assistant") {
      const cut = m.status === "stopped" || m.status === "interrupted" ? m.status : undefined;
      const text = cut && m.text !== "" ? `${m.text}\n\n${CUT_OFF_NOTE[cut]}` : m.text;
      prompt.push(
        m.tool_calls?.length
          ? { role: "assistant", text, tool_calls: m.tool_calls }
          : { role: "assistant", text },
      );
    } else {
      prompt.push({ role: "tool", tool_call_id: m.tool_call_id ?? "", text: m.text });
    }
  }
  return prompt;
}
