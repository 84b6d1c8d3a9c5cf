/**
 * Recovery at boot: what a crash (or a stop that could not wait) left behind.
 * Turns still queued or running are marked interrupted — never silently
 * re-run — and agents Suspended by the last shutdown return to Running. A
 * running turn's text streamed after its last stored assistant message is
 * rebuilt from its persisted `token` events and stored as a partial answer
 * marked `interrupted` (later prompts mark it as cut off: agent_loop.ts).
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
    const partial = turn.status === "running" ? unsavedText(db, turn.id) : "";
    closeTurn(deps, { agentId: turn.agent_id, turnId: turn.id }, {
      status: "interrupted",
      error: {
        code: "interrupted",
        message: "Talon stopped while this turn was in flight; send the message again to retry",
      },
      reply: partial || turn.output,
      usage: { input_tokens: turn.input_tokens, output_tokens: turn.output_tokens },
      announce: true,
      savePartial: partial !== "",
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

const PAGE = 1000;

/**
 * The text turn `turnId` streamed after its last stored assistant message
 * (each stored one is announced by a `message` event): what a crash cut off.
 */
export function unsavedText(db: store.Database, turnId: string): string {
  let text = "";
  for (let after = 0;;) {
    const page = store.readEvents(db, after, {
      turnId,
      types: ["token", "message"],
      limit: PAGE,
    });
    for (const event of page) {
      const data = event.data as { text?: unknown; role?: unknown };
      if (event.type === "message") {
        if (data.role === "assistant") text = "";
      } else if (typeof data.text === "string") text += data.text;
    }
    if (page.length < PAGE) return text;
    after = page.at(-1)!.id;
  }
}
