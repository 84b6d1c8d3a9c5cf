/**
 * One round of tool calls: count them against the agent's tool-call cap, let
 * the loop guard warn or block, run the allowed calls concurrently
 * (publishing each `tool_end` as it finishes), then store the results in the
 * order the model asked for them.
 *
 * @module
 */
import type { EventBus } from "../events/mod.ts";
import type { BudgetLedger } from "../scheduler/mod.ts";
import type { SecretSet, TurnTaint } from "../security/mod.ts";
import type { ToolExecutor, ToolOutcome } from "../tools/mod.ts";
import type { AgentView, ToolCall } from "../types.ts";
import type { LoopGuard } from "./loop_guard.ts";
import type { TurnSession } from "./turn_session.ts";
import { type Database, transaction } from "../store/mod.ts";

/** What a tool round needs from its turn. */
export interface ToolRoundContext {
  /** Where the round's events and results are committed. */
  db: Database;
  bus: EventBus;
  agent: AgentView;
  turnId: string;
  /** Where the turn's messages go. */
  session: TurnSession;
  tools: ToolExecutor;
  ledger: BudgetLedger;
  signal: AbortSignal;
  /** Redacted from published arguments and from outputs before they are published or stored. */
  secrets: SecretSet;
  /** Agent ids of the inter-agent call chain, ending with this agent. */
  chain: readonly string[];
  /** Outside content the turn took in; tools add to it and sinks are gated on it. */
  taint?: TurnTaint;
}

/** Runs `calls` and stores one tool result per call, in order. */
export async function runToolRound(
  ctx: ToolRoundContext,
  guard: LoopGuard,
  calls: ToolCall[],
): Promise<void> {
  const scope = { agentId: ctx.agent.id, turnId: ctx.turnId };
  const verdicts = calls.map((call) => guard.check(call));
  const runnable = verdicts.filter((v) => v.action !== "block").length;
  if (runnable > 0) ctx.ledger.countToolCalls(ctx.agent, runnable);
  transaction(ctx.db, () => {
    for (const call of calls) {
      ctx.bus.publish("tool_start", {
        call_id: call.id,
        name: call.name,
        args: ctx.secrets.redactValue(call.args),
      }, scope);
    }
  });
  let outstanding = calls.length;
  let lastEnd: (() => void) | undefined;
  const outcomes = await Promise.all(calls.map(async (call, i): Promise<ToolOutcome> => {
    const verdict = verdicts[i]!;
    let outcome: ToolOutcome;
    if (verdict.action === "block") {
      outcome = { ok: false, output: verdict.note, error_code: "loop_blocked" };
    } else {
      outcome = await ctx.tools.execute(call, {
        agent: ctx.agent,
        turnId: ctx.turnId,
        signal: ctx.signal,
        chain: ctx.chain,
        taint: ctx.taint,
      });
      if (verdict.action === "warn") {
        outcome = { ...outcome, output: `${outcome.output}\n\n${verdict.note}` };
      }
      outcome = { ...outcome, output: ctx.secrets.redact(outcome.output) };
    }
    const end = (): void => {
      ctx.bus.publish("tool_end", {
        call_id: call.id,
        name: call.name,
        ok: outcome.ok,
        output: outcome.output,
        ...(outcome.error_code ? { error_code: outcome.error_code } : {}),
      }, scope);
    };
    // The last call to finish publishes its end in the commit that stores the results.
    if (--outstanding === 0) lastEnd = end;
    else if (!ctx.signal.aborted) end();
    return outcome;
  }));
  ctx.signal.throwIfAborted();
  transaction(ctx.db, () => {
    lastEnd?.();
    ctx.session.append(
      ctx.turnId,
      calls.map((call, i) => {
        const { output, error_code } = outcomes[i]!;
        return {
          role: "tool",
          content: { text: output, tool_call_id: call.id, ...(error_code ? { error_code } : {}) },
        };
      }),
    );
  });
}
