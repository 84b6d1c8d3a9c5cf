/**
 * The run rows of schedules: how a firing is written — started (with its
 * `schedule.fired` audit entry), skipped or missed (`schedule.skipped`),
 * ended with the turn's cost — each in one transaction, then announced on
 * the bus. Also what a turn's end means for its run, and, at boot, runs a
 * stopped process left open.
 *
 * @module
 */
import type { Clock } from "../clock.ts";
import type { EventBus } from "../events/mod.ts";
import type { Logger } from "../log.ts";
import type { AuditChain } from "../security/mod.ts";
import * as store from "../store/mod.ts";
import type { RunOutcome, RunTrigger, TurnResult } from "../types.ts";
import { iso } from "./schedule_spec.ts";

/** What writing runs needs. */
export interface RunLogDeps {
  db: store.Database;
  bus: EventBus;
  audit: Pick<AuditChain, "append">;
  log: Logger;
  clock: Clock;
  /** Run rows kept per schedule (`[schedules] keep_runs`); older ended ones are deleted. */
  keepRuns: number;
}

/** A firing: what made it, its due time, and the row of a queued run if it had one. */
export interface Firing {
  trigger: RunTrigger;
  dueAt: string;
  runId?: number;
}

/** How a run ended. */
export interface RunEnd {
  outcome: RunOutcome;
  reason: string | null;
  message: string | null;
}

/** A run whose turn was sent. */
export interface StartedRun {
  runId: number;
  agentId: string;
  turnId: string;
}

/** Records a run that sent its turn (a new row, or the queued one); returns the run id. */
export function recordStart(
  deps: RunLogDeps,
  fired: { row: store.ScheduleRow; firing: Firing; turnId: string },
): number {
  const { db, bus, audit, clock } = deps;
  const { row, firing, turnId } = fired;
  const startedAt = iso(clock.now());
  const runId = store.transaction(db, () => {
    let id = firing.runId;
    if (id === undefined) {
      id = store.insertRun(db, {
        scheduleId: row.id,
        agentId: row.agent_id,
        trigger: firing.trigger,
        dueAt: firing.dueAt,
        outcome: "running",
        startedAt,
        turnId,
      });
      store.pruneRuns(db, row.id, deps.keepRuns);
    } else {
      store.updateRun(db, id, { outcome: "running", startedAt, turnId });
    }
    audit.append({
      action: "schedule.fired",
      actor: `schedule:${row.id}`,
      agent_id: row.agent_id,
      detail: { schedule_id: row.id, run_id: id, trigger: firing.trigger, turn_id: turnId },
    });
    return id;
  });
  bus.publish("schedule.fired", {
    schedule_id: row.id,
    run_id: runId,
    trigger: firing.trigger,
    due_at: firing.dueAt,
  }, { agentId: row.agent_id, turnId });
  return runId;
}

/** Records a run that did not send (a skip, or a `missed` firing); returns its id. */
export function recordSkip(
  deps: RunLogDeps,
  row: store.ScheduleRow,
  run: Firing & { outcome: "skipped" | "missed"; reason: string; message: string },
): number {
  const { db, bus, audit, clock } = deps;
  const endedAt = iso(clock.now());
  const runId = store.transaction(db, () => {
    let id = run.runId;
    if (id === undefined) {
      id = store.insertRun(db, {
        scheduleId: row.id,
        agentId: row.agent_id,
        trigger: run.trigger,
        dueAt: run.dueAt,
        outcome: run.outcome,
        endedAt,
        reason: run.reason,
        message: run.message,
      });
      store.pruneRuns(db, row.id, deps.keepRuns);
    } else {
      store.updateRun(db, id, { ...run, endedAt });
    }
    audit.append({
      action: "schedule.skipped",
      actor: `schedule:${row.id}`,
      agent_id: row.agent_id,
      detail: { schedule_id: row.id, run_id: id, outcome: run.outcome, reason: run.reason },
    });
    return id;
  });
  bus.publish("schedule.skipped", {
    schedule_id: row.id,
    run_id: runId,
    outcome: run.outcome,
    reason: run.reason,
  }, { agentId: row.agent_id });
  deps.log.info("scheduled run skipped", {
    schedule_id: row.id,
    reason: run.reason,
    outcome: run.outcome,
  });
  return runId;
}

/** Records the end of a started run with its turn's cost; failures are logged. */
export function recordEnd(
  deps: RunLogDeps,
  scheduleId: string,
  ended: StartedRun & RunEnd,
): void {
  const { db, bus, log } = deps;
  const { runId, agentId, turnId, ...end } = ended;
  try {
    const cost = store.turnCost(db, turnId);
    store.updateRun(db, runId, { ...end, endedAt: iso(deps.clock.now()), costUsd: cost });
    bus.publish("schedule.finished", {
      schedule_id: scheduleId,
      run_id: runId,
      outcome: end.outcome,
      cost_usd: cost,
    }, { agentId, turnId });
  } catch (error) {
    log.error("could not record the end of a scheduled run", { run_id: runId, error });
  }
}

/**
 * At boot: runs a stopped process left queued or running end `interrupted`
 * (their turns were interrupted; nothing re-runs); returns how many.
 */
export function interruptOpenRuns(deps: Pick<RunLogDeps, "db" | "clock">): number {
  const { db, clock } = deps;
  const open = store.openRuns(db);
  const at = iso(clock.now());
  store.transaction(db, () => {
    for (const run of open) {
      store.updateRun(db, run.id, {
        outcome: "interrupted",
        endedAt: at,
        reason: "restart",
        message: run.outcome === "running"
          ? "Talon stopped while this run was in flight; its turn was interrupted"
          : "Talon stopped before this queued run started",
      });
    }
  });
  return open.length;
}

/**
 * A run's end from how its turn ended: `timedOut` when it was stopped at
 * `max_runtime`, `cutOff` when its owner stopped it (a Hand's `usd_per_run`).
 */
export function outcomeOf(
  ended: { timedOut: boolean; cutOff?: { reason: string; message: string } },
  result: TurnResult | undefined,
  error: unknown,
): RunEnd {
  if (!result) {
    return { outcome: "failed", reason: "error", message: String((error as Error)?.message) };
  }
  if (ended.cutOff && result.status !== "completed") {
    return { outcome: "interrupted", ...ended.cutOff };
  }
  if (ended.timedOut && result.status !== "completed") {
    return {
      outcome: "timeout",
      reason: "max_runtime",
      message: "the run reached its max_runtime and its turn was stopped (partial answer kept)",
    };
  }
  switch (result.status) {
    case "completed":
      return { outcome: "ok", reason: null, message: null };
    case "failed":
      return {
        outcome: "failed",
        reason: result.error?.code ?? "failed",
        message: result.error?.message ?? null,
      };
    default:
      return {
        outcome: "interrupted",
        reason: result.status,
        message: result.error?.message ?? `the turn was ${result.status}`,
      };
  }
}
