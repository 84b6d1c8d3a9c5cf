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
import {
  checkedTiming,
  iso,
  sameSpec,
  sameTiming,
  type SpecInput,
  type StoredSpec,
  storedSpec,
} from "./schedule_spec.ts";
import { ScheduleRunner, type ScheduleRunnerDeps } from "./schedule_runner.ts";
import { fieldError, previewCron, type Timing } from "./timing.ts";

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

  constructor(deps: ScheduleRunnerDeps) {
    this.#deps = deps;
    this.#runner = new ScheduleRunner(deps);
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
    this.#announceCreated(id, agentId, spec, owner);
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
    this.#runner.forget(id);
    this.#deps.bus.publish("schedule.deleted", { schedule_id: id }, { agentId: row.agent_id });
    this.#runner.arm();
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
    const existing = store.manifestSchedule(db, agentId);
    const wanted = manifest.schedule;
    if (!wanted) {
      if (!existing) return () => {};
      store.deleteSchedule(db, existing.id);
      this.#audit("schedule.deleted", options.actor, agentId, {
        schedule_id: existing.id,
        owner: "manifest",
      });
      return () => {
        this.#runner.forget(existing.id);
        this.#deps.bus.publish("schedule.deleted", { schedule_id: existing.id }, { agentId });
        this.#runner.arm();
      };
    }
    const spec = storedSpec(wanted);
    const now = clock.now();
    let timing: Timing;
    try {
      timing = checkedTiming(spec, { now, byAgent: options.byAgent, path: "schedule." });
    } catch (error) {
      if (!isTalonError(error, "invalid_input")) throw error;
      throw new TalonError("invalid_manifest", `invalid manifest: ${error.message}`, {
        cause: error,
        details: error.details,
        fields: error.fields,
      });
    }
    if (existing && sameSpec(specOf(existing), spec)) return () => {};
    if (existing) {
      const keepDue = sameTiming(specOf(existing), spec) && existing.next_due !== null;
      const next = existing.enabled !== 1 ? null : keepDue ? existing.next_due : due(timing, now);
      store.updateSchedule(db, { ...existing, ...spec, next_due: next, at: iso(now) });
      this.#audit("schedule.updated", options.actor, agentId, {
        schedule_id: existing.id,
        ...specDetail(spec),
      });
      return () => this.#announceUpdated(existing.id, agentId);
    }
    const id = crypto.randomUUID();
    store.insertSchedule(db, {
      id,
      agent_id: agentId,
      owner: "manifest",
      ...spec,
      enabled: 1,
      next_due: due(timing, now),
      created_by: options.actor,
      at: iso(now),
    });
    this.#audit("schedule.created", options.actor, agentId, {
      schedule_id: id,
      owner: "manifest",
      ...specDetail(spec),
    });
    return () => this.#announceCreated(id, agentId, spec, "manifest");
  }

  /**
   * At boot, in every kernel: runs a stopped process left queued or running
   * end `interrupted` (their turns were interrupted; nothing re-runs).
   */
  recover(): number {
    const { db, clock } = this.#deps;
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
    const next = !options.enabled ? null : timing ? due(timing, now) : row.next_due;
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
    this.#announceUpdated(row.id, row.agent_id);
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
    action: "schedule.created" | "schedule.updated" | "schedule.deleted",
    actor: string,
    agentId: string,
    detail: Record<string, unknown>,
  ): void {
    this.#deps.audit.append({ action, actor, agent_id: agentId, detail });
  }

  #announceCreated(id: string, agentId: string, spec: StoredSpec, owner: string): void {
    this.#deps.bus.publish("schedule.created", { schedule_id: id, kind: spec.kind, owner }, {
      agentId,
    });
    this.#runner.arm();
  }

  #announceUpdated(id: string, agentId: string): void {
    const row = store.getSchedule(this.#deps.db, id);
    if (!row) return;
    this.#deps.bus.publish("schedule.updated", {
      schedule_id: id,
      enabled: row.enabled === 1,
      next_run_at: row.enabled === 1 ? row.next_due : null,
    }, { agentId });
    this.#runner.arm();
  }
}

function specOf(row: store.ScheduleRow): StoredSpec {
  return {
    kind: row.kind,
    expr: row.expr,
    tz: row.tz,
    message: row.message,
    catch_up: row.catch_up,
    overlap: row.overlap,
    max_runtime_ms: row.max_runtime_ms,
  };
}

function specDetail(spec: StoredSpec): Record<string, unknown> {
  return {
    kind: spec.kind,
    expr: spec.expr,
    tz: spec.tz,
    catch_up: spec.catch_up,
    overlap: spec.overlap,
    max_runtime_ms: spec.max_runtime_ms,
  };
}

function due(timing: Timing, now: number): string | null {
  const next = timing.next(now, now);
  return next === null ? null : iso(next);
}
