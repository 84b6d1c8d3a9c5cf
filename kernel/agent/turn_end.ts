/**
 * Ending a turn the agent loop did not finish — cancelled in the queue,
 * interrupted by a crash, or unable to start — so its record and its
 * followers see an end like any other.
 *
 * @module
 */
import type { EventBus } from "../events/mod.ts";
import type { Logger } from "../log.ts";
import { appendMessage, type Database, finishTurn, transaction } from "../store/mod.ts";
import { TalonError } from "../errors.ts";
import type { TurnResult, TurnStatus, Usage } from "../types.ts";

/** How such a turn ended. */
export interface TurnEnd {
  status: TurnStatus;
  error: { code: string; message: string };
  reply?: string;
  usage?: Usage;
  /** Publish an `error` event before `done`. */
  announce?: boolean;
  /**
   * Store `reply` (when not empty) as the turn's partial assistant message,
   * marked with `status` (`interrupted` or `stopped`), with the turn's end.
   */
  savePartial?: boolean;
}

/**
 * Records the end of a turn and publishes its `done` (after an `error` event
 * when `announce` is set). A failure to record is logged, never thrown: the
 * caller still gets its result, and the next boot marks the turn interrupted.
 */
export function closeTurn(
  deps: { db: Database; bus: EventBus; log: Logger },
  turn: { agentId: string; turnId: string },
  end: TurnEnd,
): TurnResult {
  const result: TurnResult = {
    turn_id: turn.turnId,
    agent_id: turn.agentId,
    status: end.status,
    reply: end.reply ?? "",
    usage: end.usage ?? { input_tokens: 0, output_tokens: 0 },
    error: end.error,
  };
  const partial = end.savePartial && result.reply !== "" ? result.reply : undefined;
  if (partial !== undefined && end.status !== "interrupted" && end.status !== "stopped") {
    throw new TypeError(
      `closeTurn(): a partial answer is marked interrupted or stopped, not ${end.status}`,
    );
  }
  try {
    transaction(deps.db, () => {
      if (partial !== undefined) {
        appendMessage(deps.db, {
          agentId: turn.agentId,
          turnId: turn.turnId,
          role: "assistant",
          content: { text: partial, status: end.status as "interrupted" | "stopped" },
        });
      }
      finishTurn(deps.db, turn.turnId, { ...result, output: result.reply });
    });
    const scope = { agentId: turn.agentId, turnId: turn.turnId };
    if (end.announce) deps.bus.publish("error", end.error, scope);
    deps.bus.publish("done", result, scope);
  } catch (cause) {
    deps.log.error("could not record the end of a turn", { turn_id: turn.turnId, error: cause });
  }
  return result;
}

/** Ends a turn that could not run at all (no driver, database error) as failed. */
export function failTurn(
  deps: { db: Database; bus: EventBus; log: Logger },
  turn: { agentId: string; turnId: string },
  cause: unknown,
): TurnResult {
  const error = {
    code: cause instanceof TalonError ? cause.code : "driver_error",
    message: (cause as Error)?.message ?? String(cause),
  };
  deps.log.error("turn could not run", { agent_id: turn.agentId, turn_id: turn.turnId, error });
  return closeTurn(deps, turn, { status: "failed", error, announce: true });
}

/** Waits for `work` to settle, or `timeoutMs`, whichever comes first. */
export async function settleWithin(
  work: readonly Promise<unknown>[],
  timeoutMs: number,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    Promise.allSettled(work),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
  ]);
  clearTimeout(timer);
}
