/**
 * Recovery at boot: what a crash (or a stop that could not wait) left behind.
 * Turns still queued or running are marked interrupted — never silently
 * re-run — and agents Suspended by the last shutdown return to Running.
 *
 * @module
 */
import type { EventBus } from "../events/mod.ts";
import type { Logger } from "../log.ts";
import * as store from "../store/mod.ts";
import { closeTurn } from "./turn_end.ts";

/** Interrupts open turns and resumes Suspended agents; returns how many of each. */
export function restoreAfterStop(
  deps: { db: store.Database; bus: EventBus; log: Logger },
): { restored: number; interrupted: number } {
  const { db, bus } = deps;
  const open = store.openTurns(db);
  const suspended = store.agentIdsInState(db, "suspended");
  for (const turn of open) {
    closeTurn(deps, { agentId: turn.agent_id, turnId: turn.id }, {
      status: "interrupted",
      error: {
        code: "interrupted",
        message: "Talon stopped while this turn was in flight; send the message again to retry",
      },
      reply: turn.output,
      usage: { input_tokens: turn.input_tokens, output_tokens: turn.output_tokens },
      announce: true,
    });
  }
  store.transaction(db, () => {
    for (const id of suspended) store.setAgentState(db, id, "running");
  });
  for (const id of suspended) {
    bus.publish("agent.lifecycle", { from: "suspended", to: "running", reason: "kernel started" }, {
      agentId: id,
    });
  }
  return { restored: suspended.length, interrupted: open.length };
}
