/**
 * Firing schedules. One clock timer is armed for the soonest due time of
 * any enabled schedule (an indexed query), so thousands of schedules cost
 * one timer. Each firing is a run row. A firing that cannot send is a
 * recorded skip with a reason — the previous run still going (`overlap`),
 * the agent paused, killed or not running, over budget, its queue full,
 * Talon shutting down — never silent. A run past `max_runtime` has its turn
 * stopped (partial answer kept) and ends `timeout`. Firings missed while no
 * process was firing give one catch-up run or one `missed` row, never a burst.
 *
 * @module
 */
import type { Clock, ClockTimer } from "../clock.ts";
import { isTalonError } from "../errors.ts";
import type { EventBus } from "../events/mod.ts";
import type { Logger } from "../log.ts";
import type { AuditChain } from "../security/mod.ts";
import * as store from "../store/mod.ts";
import type { AgentView, RunOutcome, RunTrigger, TurnResult } from "../types.ts";
import { iso } from "./schedule_spec.ts";
import { compileTiming } from "./timing.ts";

/** How a scheduler reaches agents. */
export interface ScheduleTargets {
  /** Queues `text` as a new turn of the agent, audited as sent by `actor`. */
  send(
    agentId: string,
    text: string,
    options: { actor: string },
  ): { turn_id: string; result: Promise<TurnResult> };
  /** Stops one turn (partial answer kept) or cancels it while queued. */
  stopTurn(agentId: string, turnId: string): Promise<boolean>;
}

/** What firing needs. */
export interface ScheduleRunnerDeps {
  db: store.Database;
  bus: EventBus;
  audit: Pick<AuditChain, "append">;
  log: Logger;
  clock: Clock;
  /** Throws `budget_exceeded` when the agent has no budget left. */
  budget: { preflight(agent: AgentView): void };
  targets: () => ScheduleTargets;
}

interface Active {
  runId: number;
  agentId: string;
  turnId: string;
  timer: ClockTimer;
  timedOut: boolean;
  /** Why its owner cut the run off (a Hand's `usd_per_run`), when it did. */
  cutOff?: { reason: string; message: string };
}

interface Waiting {
  runId: number;
  trigger: RunTrigger;
  dueAt: string;
}

/** How many missed firings are counted before saying "at least". */
const MISSED_COUNT_LIMIT = 1000;
/** Rows handled per query while catching up or ticking. */
const BATCH = 200;

/** Fires due schedules while started; records every firing as a run. */
export class ScheduleRunner {
  readonly #deps: ScheduleRunnerDeps;
  readonly #active = new Map<string, Active>();
  readonly #waiting = new Map<string, Waiting>();
  #timer: ClockTimer | undefined;
  #started = false;
  #stopping = false;
  #closed = false;

  constructor(deps: ScheduleRunnerDeps) {
    this.#deps = deps;
  }

  /** True while this process fires schedules. */
  get started(): boolean {
    return this.#started && !this.#stopping;
  }

  /** Handles firings missed while no process fired, then arms the timer. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#catchUp();
    this.arm();
  }

  /** Re-arms the timer for the soonest due time (after any change to the rows). */
  arm(): void {
    if (!this.started) return;
    const { clock, db } = this.#deps;
    if (this.#timer) clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    const due = store.soonestDue(db);
    if (due === undefined) return;
    this.#timer = clock.setTimeout(() => this.#tick(), Math.max(0, Date.parse(due) - clock.now()));
  }

  /** Fires one schedule now (run-now), outside its timing; returns the run id. */
  fireNow(row: store.ScheduleRow): number {
    return this.#fire(row, { trigger: "manual", dueAt: iso(this.#deps.clock.now()) });
  }

  /**
   * Stops the schedule's run in flight for its owner (e.g. a Hand's run over
   * its `usd_per_run`): the turn stops with its partial answer kept and the
   * run ends `interrupted` with `reason`. False when no run is in flight.
   */
  cutOff(scheduleId: string, end: { reason: string; message: string }): boolean {
    const active = this.#active.get(scheduleId);
    if (!active || active.cutOff || active.timedOut) return false;
    active.cutOff = end;
    this.#deps.targets().stopTurn(active.agentId, active.turnId).catch((error) => {
      this.#deps.log.warn("a cut-off scheduled turn could not be stopped", {
        turn_id: active.turnId,
        error,
      });
    });
    return true;
  }

  /** Forgets a deleted schedule's waiting run and timeout timer. */
  forget(scheduleId: string): void {
    this.#waiting.delete(scheduleId);
    const active = this.#active.get(scheduleId);
    if (active) {
      this.#deps.clock.clearTimeout(active.timer);
      this.#active.delete(scheduleId);
    }
  }

  /** Stops firing: the timer is cleared and waiting runs are skipped as `shutting_down`. */
  stop(): void {
    this.#stopping = true;
    if (this.#timer) this.#deps.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const [scheduleId, waiting] of this.#waiting) {
      this.#settle(scheduleId, waiting.runId, {
        outcome: "skipped",
        reason: "shutting_down",
        message: "Talon shut down before this queued run could start",
      });
    }
    this.#waiting.clear();
  }

  /** After turns were interrupted: runs still open end `interrupted`; nothing is written after. */
  finalize(): void {
    this.stop();
    for (const [scheduleId, active] of this.#active) {
      this.#deps.clock.clearTimeout(active.timer);
      this.#finishRun(scheduleId, active, {
        outcome: "interrupted",
        reason: "shutdown",
        message: "Talon stopped while this run was in flight",
      });
    }
    this.#active.clear();
    this.#closed = true;
  }

  #tick(): void {
    this.#timer = undefined;
    if (!this.started) return;
    const { db, clock, log } = this.#deps;
    try {
      for (;;) {
        const now = clock.now();
        const rows = store.dueSchedules(db, iso(now), BATCH);
        if (rows.length === 0) break;
        for (const row of rows) {
          const due = row.next_due!;
          if (!this.#advance(row, now, Date.parse(due))) continue;
          this.#fire(row, { trigger: "due", dueAt: due });
        }
      }
    } catch (error) {
      log.error("schedules could not fire", { error });
    }
    this.arm();
  }

  /** Moves a fired row's next due time past `now`; false when its timing no longer compiles. */
  #advance(row: store.ScheduleRow, now: number, anchor: number): boolean {
    const { db, log } = this.#deps;
    let next: number | null;
    try {
      next = compileTiming(row).next(now, anchor);
    } catch (error) {
      log.warn("a schedule's timing is invalid; it was disabled", { schedule_id: row.id, error });
      store.setScheduleDue(db, row.id, { due: null, enabled: false });
      return false;
    }
    store.setScheduleDue(
      db,
      row.id,
      next === null ? { due: null, enabled: false } : {
        due: iso(next),
      },
    );
    return true;
  }

  /** At start: each schedule due while nothing fired gets one catch-up run or one `missed` row. */
  #catchUp(): void {
    const { db, clock, log } = this.#deps;
    const now = clock.now();
    for (const row of store.unplannedSchedules(db)) {
      try {
        const next = compileTiming(row).next(now, now);
        store.setScheduleDue(
          db,
          row.id,
          next === null ? { due: null, enabled: false } : {
            due: iso(next),
          },
        );
      } catch (error) {
        log.warn("a schedule's timing is invalid; it was disabled", { schedule_id: row.id, error });
        store.setScheduleDue(db, row.id, { due: null, enabled: false });
      }
    }
    for (;;) {
      const rows = store.dueSchedules(db, iso(now - 1), BATCH);
      if (rows.length === 0) break;
      for (const row of rows) {
        const first = Date.parse(row.next_due!);
        const missed = this.#countMissed(row, first, now);
        if (!this.#advance(row, now, first)) continue;
        const words = `${missed >= MISSED_COUNT_LIMIT ? "at least " : ""}${missed} firing(s) ` +
          `since ${row.next_due} were missed while Talon was not running`;
        if (row.catch_up === "once") {
          this.#fire(row, { trigger: "catch_up", dueAt: row.next_due! });
        } else {
          this.#skip(row, {
            trigger: "due",
            dueAt: row.next_due!,
            outcome: "missed",
            reason: "not_running",
            message: `${words}; catch_up = "skip"`,
          });
        }
      }
    }
  }

  #countMissed(row: store.ScheduleRow, first: number, now: number): number {
    const timing = compileTiming(row);
    let count = 1;
    let at: number | null = first;
    while (count < MISSED_COUNT_LIMIT) {
      at = timing.next(at, at);
      if (at === null || at >= now) break;
      count++;
    }
    return count;
  }

  #fire(row: store.ScheduleRow, run: { trigger: RunTrigger; dueAt: string }): number {
    if (this.#active.has(row.id)) {
      if (row.overlap === "queue" && !this.#waiting.has(row.id)) {
        const runId = store.insertRun(this.#deps.db, {
          scheduleId: row.id,
          agentId: row.agent_id,
          trigger: run.trigger,
          dueAt: run.dueAt,
          outcome: "queued",
        });
        this.#waiting.set(row.id, { runId, ...run });
        return runId;
      }
      return this.#skip(row, {
        ...run,
        outcome: "skipped",
        reason: "overlap",
        message: this.#waiting.has(row.id)
          ? "the previous run is still going and another is already waiting"
          : "the previous run is still going",
      });
    }
    return this.#begin(row, run);
  }

  /** Sends the schedule's message (or records why not); `runId` is a queued run's row. */
  #begin(
    row: store.ScheduleRow,
    run: { trigger: RunTrigger; dueAt: string; runId?: number },
  ): number {
    const { db, bus, audit, clock } = this.#deps;
    if (this.#stopping) {
      return this.#skip(row, {
        ...run,
        outcome: "skipped",
        reason: "shutting_down",
        message: "Talon is shutting down",
      });
    }
    const agent = store.getAgent(db, row.agent_id);
    const refusal = agent ? this.#refusal(agent) : {
      reason: "agent_missing",
      message: "the agent no longer exists",
    };
    if (refusal) return this.#skip(row, { ...run, outcome: "skipped", ...refusal });
    let handle: { turn_id: string; result: Promise<TurnResult> };
    try {
      handle = this.#deps.targets().send(row.agent_id, row.message, {
        actor: `schedule:${row.id}`,
      });
    } catch (error) {
      return this.#skip(row, {
        ...run,
        outcome: "skipped",
        reason: isTalonError(error) ? error.code : "send_failed",
        message: (error as Error).message,
      });
    }
    const startedAt = iso(clock.now());
    const runId = store.transaction(db, () => {
      let id = run.runId;
      if (id === undefined) {
        id = store.insertRun(db, {
          scheduleId: row.id,
          agentId: row.agent_id,
          trigger: run.trigger,
          dueAt: run.dueAt,
          outcome: "running",
          startedAt,
          turnId: handle.turn_id,
        });
      } else {
        store.updateRun(db, id, { outcome: "running", startedAt, turnId: handle.turn_id });
      }
      audit.append({
        action: "schedule.fired",
        actor: `schedule:${row.id}`,
        agent_id: row.agent_id,
        detail: { schedule_id: row.id, run_id: id, trigger: run.trigger, turn_id: handle.turn_id },
      });
      return id;
    });
    bus.publish("schedule.fired", {
      schedule_id: row.id,
      run_id: runId,
      trigger: run.trigger,
      due_at: run.dueAt,
    }, { agentId: row.agent_id, turnId: handle.turn_id });
    const active: Active = {
      runId,
      agentId: row.agent_id,
      turnId: handle.turn_id,
      timedOut: false,
      timer: clock.setTimeout(() => this.#timeout(row.id, active), row.max_runtime_ms),
    };
    this.#active.set(row.id, active);
    handle.result.then(
      (result) => this.#ended(row.id, active, result),
      (error) => this.#ended(row.id, active, undefined, error),
    );
    return runId;
  }

  #refusal(agent: AgentView): { reason: string; message: string } | undefined {
    if (agent.state === "paused") {
      return { reason: "agent_paused", message: `agent "${agent.name}" is paused` };
    }
    if (agent.state === "killed") {
      return { reason: "agent_killed", message: `agent "${agent.name}" is killed` };
    }
    if (agent.state !== "running") {
      return {
        reason: "agent_not_running",
        message: `agent "${agent.name}" is ${agent.state}`,
      };
    }
    try {
      this.#deps.budget.preflight(agent);
    } catch (error) {
      if (!isTalonError(error, "budget_exceeded")) throw error;
      return {
        reason: "over_budget",
        message: `agent "${agent.name}" is over its ${
          String(error.details?.cap ?? "budget")
        } cap; the message was not sent`,
      };
    }
    return undefined;
  }

  #timeout(scheduleId: string, active: Active): void {
    if (this.#active.get(scheduleId) !== active) return;
    active.timedOut = true;
    this.#deps.targets().stopTurn(active.agentId, active.turnId).catch((error) => {
      this.#deps.log.warn("a timed-out scheduled turn could not be stopped", {
        turn_id: active.turnId,
        error,
      });
    });
  }

  #ended(scheduleId: string, active: Active, result?: TurnResult, error?: unknown): void {
    if (this.#closed || this.#active.get(scheduleId) !== active) return;
    this.#deps.clock.clearTimeout(active.timer);
    this.#active.delete(scheduleId);
    this.#finishRun(scheduleId, active, outcomeOf(active, result, error));
    const waiting = this.#waiting.get(scheduleId);
    if (!waiting || this.#stopping) return;
    this.#waiting.delete(scheduleId);
    const row = store.getSchedule(this.#deps.db, scheduleId);
    if (row) this.#begin(row, waiting);
  }

  #finishRun(
    scheduleId: string,
    active: Active,
    end: { outcome: RunOutcome; reason: string | null; message: string | null },
  ): void {
    const { db, bus, log } = this.#deps;
    try {
      const cost = store.turnCost(db, active.turnId);
      store.updateRun(db, active.runId, {
        ...end,
        endedAt: iso(this.#deps.clock.now()),
        costUsd: cost,
      });
      bus.publish("schedule.finished", {
        schedule_id: scheduleId,
        run_id: active.runId,
        outcome: end.outcome,
        cost_usd: cost,
      }, { agentId: active.agentId, turnId: active.turnId });
    } catch (error) {
      log.error("could not record the end of a scheduled run", { run_id: active.runId, error });
    }
  }

  /** Records a run that did not send (a skip, or a `missed` firing); returns its id. */
  #skip(
    row: store.ScheduleRow,
    run: {
      trigger: RunTrigger;
      dueAt: string;
      runId?: number;
      outcome: "skipped" | "missed";
      reason: string;
      message: string;
    },
  ): number {
    const { db, bus, audit, clock } = this.#deps;
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
    this.#deps.log.info("scheduled run skipped", {
      schedule_id: row.id,
      reason: run.reason,
      outcome: run.outcome,
    });
    return runId;
  }

  /** Ends a queued run without starting it. */
  #settle(
    scheduleId: string,
    runId: number,
    end: { outcome: "skipped"; reason: string; message: string },
  ): void {
    const row = store.getSchedule(this.#deps.db, scheduleId);
    const run = store.getRun(this.#deps.db, runId);
    if (!row || !run) return;
    this.#skip(row, { ...end, trigger: run.trigger, dueAt: run.due_at, runId });
  }
}

/** A run's outcome from how its turn ended. */
function outcomeOf(
  active: Active,
  result: TurnResult | undefined,
  error: unknown,
): { outcome: RunOutcome; reason: string | null; message: string | null } {
  if (!result) {
    return { outcome: "failed", reason: "error", message: String((error as Error)?.message) };
  }
  if (active.cutOff && result.status !== "completed") {
    return { outcome: "interrupted", ...active.cutOff };
  }
  if (active.timedOut && result.status !== "completed") {
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
