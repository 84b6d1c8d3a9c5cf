/**
 * The taint of one turn, wired to the kernel: each new source is published
 * as a `taint` event of the turn and audited as `taint.source`. A turn that
 * another agent's message started (its call chain is longer than the agent
 * itself) is tainted from its first step: that message is outside content.
 *
 * @module
 */
import type { EventBus } from "../events/mod.ts";
import { type AuditChain, TurnTaint } from "../security/mod.ts";

/** A new turn's taint; `chain` ends with the agent, callers before it. */
export function startTurnTaint(
  deps: { bus: EventBus; audit: Pick<AuditChain, "append"> },
  turn: { agentId: string; turnId: string; chain: readonly string[] },
): TurnTaint {
  const scope = { agentId: turn.agentId, turnId: turn.turnId };
  const taint = new TurnTaint({
    onSource: (source) => {
      deps.audit.append({
        action: "taint.source",
        actor: `agent:${turn.agentId}`,
        agent_id: turn.agentId,
        detail: { turn_id: turn.turnId, ...source },
      });
      deps.bus.publish("taint", { source, count: taint.sources.length }, scope);
    },
  });
  const sender = turn.chain.at(-2);
  if (sender !== undefined) {
    taint.add({ kind: "agent", label: `a message from agent ${sender}` });
  }
  return taint;
}
