/**
 * `kernel.schedules`: create, list, edit, enable, disable, remove, run now
 * and the run history of schedules, the manifest `[schedule]` reconciled to
 * one row owned by the manifest, and firing (only in the process that
 * serves; see `schedule_runner.ts`). Every change is written with its audit
 * entry in one transaction; events follow.
 *
 * @module
 */
import { isTalonError, TalonError } from "../errors.ts";
import * as store from "../store/mod.ts";
import {
  type AgentManifest,
  CreateScheduleBody,
  parseDuration,
  parseOrRefuse,
  ScheduleEdit,
  ScheduleListQuery,
  type SchedulePreview,
  type ScheduleRunList,
  ScheduleRunsQuery,
  type ScheduleRunView,
  type ScheduleView,
} from "../types.ts";
import { interruptOpenRuns } from "./run_log.ts";
import { reconcileManifest } from "./schedule_manifest.ts";
import { type ScheduleChange, ScheduleNotices } from "./schedule_notices.ts";
import {
  checkedTiming,
  iso,
  nextDue,
  sameTiming,
  specDetail,
  type SpecInput,
  specOf,
  type StoredSpec,
  storedSpec,
} from "./schedule_spec.ts";
import { ScheduleRunner, type ScheduleRunnerDeps } from "./schedule_runner.ts";
import { fieldError, previewCron } from "./timing.ts";

/** How many schedules one agent may make through its tools. */
export const MAX_AGENT_SCHEDULES = 10;

/** Who is acting: `byAgent` is the id of an agent acting through its tools. */
export interface ScheduleActor {
  actor?: string;
  byAgent?: string;
}

/** Schedules and their runs. */
export class Schedules {
  readonly #deps: ScheduleRunnerDeps;
  readonly #runner: ScheduleRunner;
  readonly #notices: ScheduleNotices;

  constructor(deps: ScheduleRunnerDeps) {
    this.#deps = deps;
    this.#runner = new ScheduleRunner(deps);
    this.#notices = new ScheduleNotices(deps, this.#runner);
  }

  /** True when this process fires schedules (`talon serve`). */
  get firing(): boolean {
    return this.#runner.started;
  }

  /**
   * Creates a schedule for an agent (id or name). People's schedules may fire
   * every second at most; an agent's (`byAgent`, its own only) every minute,
   * at most {@link MAX_AGENT_SCHEDULES} of them.
   */
  create(input: unknown, options: ScheduleActor = {}): ScheduleView {
    const body = parseOrRefuse(CreateScheduleBody, input);
    const { db } = this.#deps;
    const agentId = this.#agentId(body.agent);
    if (options.byAgent !== undefined) {
      if (agentId !== options.byAgent) {
        throw fieldError("agent", "an agent may schedule only itself");
      }
      const count = store.countSchedules(db, agentId, "agent");
      if (count >= MAX_AGENT_SCHEDULES) {
        throw new TalonError(
          "invalid_input",
          `this agent already has ${count} schedules, the most an agent may make; delete one first`,
          { details: { limit: MAX_AGENT_SCHEDULES } },
        );
      }
    }
    const spec = storedSpec(body as SpecInput);
    const now = this.#deps.clock.now();
    const timing = checkedTiming(spec, { now, byAgent: options.byAgent !== undefined });
    const enabled = body.enabled ?? true;
    const next = enabled ? timing.next(now, now) : null;
    const id = crypto.randomUUID();
    const owner = options.byAgent !== undefined ? "agent" : "user";
    const actor = options.actor ?? (options.byAgent ? `agent:${options.byAgent}` : "system");
    store.transaction(db, () => {
      store.insertSchedule(db, {
        id,
        agent_id: agentId,
        owner,
        ...spec,
        enabled: enabled ? 1 : 0,
        next_due: next === null ? null : iso(next),
        created_by: actor,
        at: iso(now),
      });
      this.#audit("schedule.created", actor, agentId, {
        schedule_id: id,
        owner,
        ...specDetail(spec),
      });
    });
    this.#notices.created(id, { agentId, spec, owner });
    return this.get(id);
  }

  /** Schedules, oldest first, optionally of one agent (id or name) or owner. */
  list(query: unknown = {}): ScheduleView[] {
    const q = parseOrRefuse(ScheduleListQuery, query);
    const agentId = q.agent === undefined ? undefined : store.findAgent(this.#deps.db, q.agent).id;
    return store.listSchedules(this.#deps.db, { agentId, owner: q.owner, limit: q.limit })
      .map((row) => store.scheduleView(this.#deps.db, row));
  }

  /** One schedule; `not_found` otherwise. */
  get(id: string): ScheduleView {
    return store.scheduleView(this.#deps.db, this.#row(id));
  }

  /**
   * Edits a schedule (giving `cron`, `every` or `at` switches its kind). A
   * row owned by a manifest or a Hand only takes `enabled`: its owner is
   * edited instead.
   */
  update(id: string, edit: unknown, options: ScheduleActor = {}): ScheduleView {
    const patch = parseOrRefuse(ScheduleEdit, edit);
    const row = this.#row(id);
    const { enabled, ...specPatch } = patch;
    if (Object.keys(specPatch).length > 0) this.#assertOwnedHere(row, "edit");
    const current = specOf(row);
    const switched = patch.cron ?? patch.every ?? patch.at;
    const spec: StoredSpec = switched === undefined
      ? {
        ...current,
        tz: patch.tz ?? current.tz,
        message: patch.message ?? current.message,
        catch_up: patch.catch_up ?? current.catch_up,
        overlap: patch.overlap ?? current.overlap,
        max_runtime_ms: patch.max_runtime === undefined
          ? current.max_runtime_ms
          : parseDuration(patch.max_runtime)!,
      }
      : storedSpec({
        cron: patch.cron,
        every: patch.every,
        at: patch.at,
        tz: patch.tz ??
          (patch.cron !== undefined && current.kind === "cron" ? current.tz : undefined),
        message: patch.message ?? current.message,
        catch_up: patch.catch_up ?? current.catch_up,
        overlap: patch.overlap ?? current.overlap,
        max_runtime: patch.max_runtime,
      });
    if (switched !== undefined && patch.max_runtime === undefined) {
      spec.max_runtime_ms = current.max_runtime_ms;
    }
    if (spec.kind !== "cron" && patch.tz !== undefined) {
      throw fieldError("tz", "tz applies only to cron schedules");
    }
    return this.#write(row, spec, { enabled: enabled ?? row.enabled === 1, ...options });
  }

  /** Turns a schedule on; it next fires at its next due time from now. */
  enable(id: string, options: ScheduleActor = {}): ScheduleView {
    const row = this.#row(id);
    return this.#write(row, specOf(row), { enabled: true, ...options });
  }

  /** Turns a schedule off; it keeps its runs and can be enabled again. */
  disable(id: string, options: ScheduleActor = {}): ScheduleView {
    const row = this.#row(id);
    return this.#write(row, specOf(row), { enabled: false, ...options });
  }

  /**
   * Deletes a schedule and its runs. A row owned by a manifest or a Hand is
   * refused (`illegal_transition`, 409) naming the owner; an agent may
   * delete only schedules it made.
   */
  remove(id: string, options: ScheduleActor = {}): void {
    const row = this.#row(id, options.byAgent);
    this.#assertOwnedHere(row, "remove");
    if (options.byAgent !== undefined && row.owner !== "agent") {
      throw new TalonError(
        "illegal_transition",
        `schedule ${id} was made by ${
          row.owner === "user" ? "a person" : row.owner
        }; an agent may delete only schedules it made`,
        { details: { owner: row.owner } },
      );
    }
    const actor = options.actor ?? (options.byAgent ? `agent:${options.byAgent}` : "system");
    const { db } = this.#deps;
    store.transaction(db, () => {
      store.deleteSchedule(db, id);
      this.#audit("schedule.deleted", actor, row.agent_id, { schedule_id: id, owner: row.owner });
    });
    this.#notices.deleted(id, row.agent_id);
  }

  /**
   * Creates the schedule an owner such as a Hand instance (`hand:<name>`)
   * keeps: people can enable, disable and run it, but only its owner edits
   * or removes it. Joins the caller's transaction when there is one.
   */
  createOwned(
    input: { agentId: string; owner: string; spec: SpecInput },
    options: { actor: string },
  ): ScheduleView {
    const spec = storedSpec(input.spec);
    const { db, clock } = this.#deps;
    const now = clock.now();
    const timing = checkedTiming(spec, { now, byAgent: false });
    const id = crypto.randomUUID();
    store.transaction(db, () => {
      store.insertSchedule(db, {
        id,
        agent_id: input.agentId,
        owner: input.owner,
        ...spec,
        enabled: 1,
        next_due: nextDue(timing, now),
        created_by: options.actor,
        at: iso(now),
      });
      this.#audit("schedule.created", options.actor, input.agentId, {
        schedule_id: id,
        owner: input.owner,
        ...specDetail(spec),
      });
    });
    this.#notices.created(id, { agentId: input.agentId, spec, owner: input.owner });
    return this.get(id);
  }

  /** Checks a spec's timing without writing anything (`invalid_input` naming the field). */
  checkSpec(spec: SpecInput): void {
    checkedTiming(storedSpec(spec), { now: this.#deps.clock.now(), byAgent: false });
  }

  /** Deletes a schedule its owner (`hand:<name>`) removes; its runs go with it. */
  removeOwned(id: string, owner: string, options: { actor: string }): void {
    const row = this.#row(id);
    if (row.owner !== owner) {
      throw new TalonError("illegal_transition", `schedule ${id} is not owned by ${owner}`, {
        details: { owner: row.owner },
      });
    }
    const { db } = this.#deps;
    store.transaction(db, () => {
      store.deleteSchedule(db, id);
      this.#audit("schedule.deleted", options.actor, row.agent_id, { schedule_id: id, owner });
    });
    this.#notices.deleted(id, row.agent_id);
  }

  /**
   * Stops the run in flight of a schedule for its owner (partial answer
   * kept); it ends `interrupted` with `reason`. False when none is in flight.
   */
  cutOff(id: string, end: { reason: string; message: string }): boolean {
    return this.#runner.cutOff(id, end);
  }

  /**
   * Fires a schedule now, outside its timing, with the same checks as a due
   * firing; returns the run. Only the process that serves fires.
   */
  runNow(id: string, _options: ScheduleActor = {}): ScheduleRunView {
    const row = this.#row(id);
    if (!this.#runner.started) {
      throw new TalonError(
        "illegal_transition",
        "schedules fire only in `talon serve`; start it, then run the schedule",
        { details: { reason: "not_serving" } },
      );
    }
    const runId = this.#runner.fireNow(row);
    return store.getRun(this.#deps.db, runId)!;
  }

  /** A schedule's runs, newest first, paged by run id. */
  runs(id: string, query: unknown = {}): ScheduleRunList {
    const q = parseOrRefuse(ScheduleRunsQuery, query);
    this.#row(id);
    const runs = store.listRuns(this.#deps.db, id, { limit: q.limit, before: q.before });
    const last = runs.at(-1);
    const more = last !== undefined && runs.length === q.limit &&
      store.listRuns(this.#deps.db, id, { limit: 1, before: last.id }).length > 0;
    return { runs, next_before: more ? last.id : null };
  }

  /** The next five fire times of a cron expression in `tz` (UTC by default). */
  preview(cron: string, tz = "UTC"): SchedulePreview {
    return { times: previewCron(cron, { tz, now: this.#deps.clock.now() }) };
  }

  /**
   * Inside the agent registry's transaction: makes the agent's manifest-owned
   * row match `manifest.schedule` (created, updated, or deleted when the
   * manifest has none). Errors name the field under `schedule.`.
   */
  reconcile(
    agentId: string,
    manifest: AgentManifest,
    options: { actor: string; byAgent: boolean },
  ): () => void {
    const { db, clock } = this.#deps;
    return reconcileManifest({ db, clock, notices: this.#notices }, {
      agentId,
      manifest,
      ...options,
    });
  }

  /**
   * At boot, in every kernel: runs a stopped process left queued or running
   * end `interrupted` (their turns were interrupted; nothing re-runs).
   */
  recover(): number {
    return interruptOpenRuns(this.#deps);
  }

  /** Starts firing: catches up on missed firings, then fires as schedules fall due. */
  start(): void {
    this.#runner.start();
  }

  /** Stops firing before turns are interrupted at shutdown. */
  stop(): void {
    this.#runner.stop();
  }

  /** After turns were interrupted at shutdown: runs still open end `interrupted`. */
  finalize(): void {
    this.#runner.finalize();
  }

  #write(
    row: store.ScheduleRow,
    spec: StoredSpec,
    options: ScheduleActor & { enabled: boolean },
  ): ScheduleView {
    const { db, clock } = this.#deps;
    const now = clock.now();
    const timingChanged = !sameTiming(specOf(row), spec);
    const byAgent = options.byAgent !== undefined;
    const timing = timingChanged || (options.enabled && row.enabled !== 1)
      ? checkedTiming(spec, { now, byAgent })
      : undefined;
    const next = !options.enabled ? null : timing ? nextDue(timing, now) : row.next_due;
    const actor = options.actor ?? "system";
    store.transaction(db, () => {
      store.updateSchedule(db, {
        ...row,
        ...spec,
        enabled: options.enabled ? 1 : 0,
        next_due: next,
        at: iso(now),
      });
      this.#audit("schedule.updated", actor, row.agent_id, {
        schedule_id: row.id,
        enabled: options.enabled,
        ...specDetail(spec),
      });
    });
    this.#notices.updated(row.id, row.agent_id);
    return this.get(row.id);
  }

  #assertOwnedHere(row: store.ScheduleRow, what: "edit" | "remove"): void {
    if (row.owner === "user" || row.owner === "agent") return;
    const agent = store.getAgent(this.#deps.db, row.agent_id);
    const hint = row.owner === "manifest"
      ? `change or remove [schedule] in agent "${agent?.name ?? row.agent_id}"'s manifest instead`
      : `change the ${row.owner} that owns it instead`;
    throw new TalonError(
      "illegal_transition",
      `cannot ${what} schedule ${row.id}: it is owned by ${
        row.owner === "manifest" ? `agent "${agent?.name ?? row.agent_id}"'s manifest` : row.owner
      }; ${hint}`,
      { details: { owner: row.owner, agent_id: row.agent_id } },
    );
  }

  #row(id: string, visibleTo?: string): store.ScheduleRow {
    const row = store.getSchedule(this.#deps.db, id);
    if (!row || (visibleTo !== undefined && row.agent_id !== visibleTo)) {
      throw new TalonError(
        "not_found",
        `no schedule with id "${id}"; list them with \`talon schedule list\``,
      );
    }
    return row;
  }

  #agentId(ref: string): string {
    try {
      const agent = store.findAgent(this.#deps.db, ref);
      if (agent.state === "killed") throw fieldError("agent", `agent "${ref}" is killed`);
      return agent.id;
    } catch (error) {
      if (isTalonError(error, "not_found")) {
        throw fieldError("agent", `no agent "${ref}"; give an agent's id or name`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  #audit(
    action: ScheduleChange,
    actor: string,
    agentId: string,
    detail: Record<string, unknown>,
  ): void {
    this.#notices.audit(action, { actor, agentId, detail });
  }
}
