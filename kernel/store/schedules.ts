/**
 * The `schedules` and `schedule_runs` tables: schedule rows with their next
 * due time, and one run row per firing.
 *
 * @module
 */
import {
  formatDuration,
  type RunOutcome,
  type RunTrigger,
  type ScheduleKind,
  type ScheduleOwner,
  type ScheduleRunView,
  type ScheduleView,
} from "../types.ts";
import { type Database, prepared } from "./database.ts";

/** A schedule row as stored. */
export interface ScheduleRow {
  id: string;
  agent_id: string;
  owner: ScheduleOwner;
  kind: ScheduleKind;
  expr: string;
  tz: string;
  message: string;
  catch_up: "once" | "skip";
  overlap: "skip" | "queue";
  max_runtime_ms: number;
  enabled: number;
  next_due: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** Fields a schedule row is written with. */
export type ScheduleFields = Omit<ScheduleRow, "created_at" | "updated_at">;

/** Inserts a schedule row. */
export function insertSchedule(db: Database, row: ScheduleFields & { at: string }): void {
  prepared(
    db,
    `INSERT INTO schedules (id, agent_id, owner, kind, expr, tz, message, catch_up, overlap,
                            max_runtime_ms, enabled, next_due, created_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    row.id,
    row.agent_id,
    row.owner,
    row.kind,
    row.expr,
    row.tz,
    row.message,
    row.catch_up,
    row.overlap,
    row.max_runtime_ms,
    row.enabled,
    row.next_due,
    row.created_by,
    row.at,
    row.at,
  );
}

/** Rewrites a schedule's timing, message, policies, enabled flag and next due time. */
export function updateSchedule(db: Database, row: ScheduleFields & { at: string }): void {
  prepared(
    db,
    `UPDATE schedules SET kind = ?, expr = ?, tz = ?, message = ?, catch_up = ?, overlap = ?,
            max_runtime_ms = ?, enabled = ?, next_due = ?, updated_at = ? WHERE id = ?`,
  ).run(
    row.kind,
    row.expr,
    row.tz,
    row.message,
    row.catch_up,
    row.overlap,
    row.max_runtime_ms,
    row.enabled,
    row.next_due,
    row.at,
    row.id,
  );
}

/** Moves a schedule's next due time (and disables it when `enabled` is false). */
export function setScheduleDue(
  db: Database,
  id: string,
  next: { due: string | null; enabled?: boolean },
): void {
  if (next.enabled === undefined) {
    prepared(db, "UPDATE schedules SET next_due = ? WHERE id = ?").run(next.due, id);
  } else {
    prepared(db, "UPDATE schedules SET next_due = ?, enabled = ? WHERE id = ?")
      .run(next.due, next.enabled ? 1 : 0, id);
  }
}

/** Deletes a schedule row and its runs. */
export function deleteSchedule(db: Database, id: string): void {
  prepared(db, "DELETE FROM schedules WHERE id = ?").run(id);
}

/** The schedule row with this id. */
export function getSchedule(db: Database, id: string): ScheduleRow | undefined {
  return prepared(db, "SELECT * FROM schedules WHERE id = ?").get(id) as ScheduleRow | undefined;
}

/** The row an agent's manifest owns, if any. */
export function manifestSchedule(db: Database, agentId: string): ScheduleRow | undefined {
  return prepared(db, "SELECT * FROM schedules WHERE agent_id = ? AND owner = 'manifest'")
    .get(agentId) as ScheduleRow | undefined;
}

/** Schedule rows, oldest first, optionally of one agent or owner. */
export function listSchedules(
  db: Database,
  filter: { agentId?: string; owner?: string; limit: number },
): ScheduleRow[] {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (filter.agentId !== undefined) {
    where.push("agent_id = ?");
    args.push(filter.agentId);
  }
  if (filter.owner !== undefined) {
    where.push("owner = ?");
    args.push(filter.owner);
  }
  const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
  return prepared(db, `SELECT * FROM schedules ${clause} ORDER BY created_at, id LIMIT ?`)
    .all(...args, filter.limit) as unknown as ScheduleRow[];
}

/** How many rows `owner` has for an agent. */
export function countSchedules(db: Database, agentId: string, owner: string): number {
  const row = prepared(db, "SELECT COUNT(*) AS n FROM schedules WHERE agent_id = ? AND owner = ?")
    .get(agentId, owner) as { n: number };
  return row.n;
}

/** Enabled rows due at or before `at` (ISO), soonest first. */
export function dueSchedules(db: Database, at: string, limit: number): ScheduleRow[] {
  return prepared(
    db,
    `SELECT * FROM schedules WHERE enabled = 1 AND next_due IS NOT NULL AND next_due <= ?
     ORDER BY next_due LIMIT ?`,
  ).all(at, limit) as unknown as ScheduleRow[];
}

/** The soonest next due time of an enabled row. */
export function soonestDue(db: Database): string | undefined {
  const row = prepared(
    db,
    "SELECT MIN(next_due) AS due FROM schedules WHERE enabled = 1 AND next_due IS NOT NULL",
  ).get() as { due: string | null };
  return row.due ?? undefined;
}

/** Enabled rows whose next due time was never computed (rows a migration created). */
export function unplannedSchedules(db: Database): ScheduleRow[] {
  return prepared(db, "SELECT * FROM schedules WHERE enabled = 1 AND next_due IS NULL")
    .all() as unknown as ScheduleRow[];
}

interface RunRow {
  id: number;
  schedule_id: string;
  agent_id: string;
  trigger: RunTrigger;
  due_at: string;
  started_at: string | null;
  ended_at: string | null;
  outcome: RunOutcome;
  turn_id: string | null;
  cost_usd: number;
  reason: string | null;
  message: string | null;
}

/** A new run row. */
export interface NewRun {
  scheduleId: string;
  agentId: string;
  trigger: RunTrigger;
  dueAt: string;
  outcome: RunOutcome;
  startedAt?: string | null;
  endedAt?: string | null;
  turnId?: string | null;
  reason?: string | null;
  message?: string | null;
}

/** Inserts a run row; returns its id. */
export function insertRun(db: Database, run: NewRun): number {
  const result = prepared(
    db,
    `INSERT INTO schedule_runs (schedule_id, agent_id, trigger, due_at, started_at, ended_at,
                                outcome, turn_id, reason, message)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    run.scheduleId,
    run.agentId,
    run.trigger,
    run.dueAt,
    run.startedAt ?? null,
    run.endedAt ?? null,
    run.outcome,
    run.turnId ?? null,
    run.reason ?? null,
    run.message ?? null,
  );
  return Number(result.lastInsertRowid);
}

/**
 * Deletes a schedule's ended runs older than its `keep` newest (runs still
 * queued or running stay); returns how many went.
 */
export function pruneRuns(db: Database, scheduleId: string, keep: number): number {
  const result = prepared(
    db,
    `DELETE FROM schedule_runs
      WHERE schedule_id = ? AND outcome NOT IN ('queued', 'running')
        AND id < (SELECT id FROM schedule_runs WHERE schedule_id = ?
                   ORDER BY id DESC LIMIT 1 OFFSET ?)`,
  ).run(scheduleId, scheduleId, keep - 1);
  return Number(result.changes);
}

/** Changes a run's outcome and whichever of its other fields are given. */
export function updateRun(
  db: Database,
  id: number,
  change: {
    outcome: RunOutcome;
    startedAt?: string;
    endedAt?: string;
    turnId?: string;
    costUsd?: number;
    reason?: string | null;
    message?: string | null;
  },
): void {
  prepared(
    db,
    `UPDATE schedule_runs SET outcome = ?, started_at = COALESCE(?, started_at),
            ended_at = COALESCE(?, ended_at), turn_id = COALESCE(?, turn_id),
            cost_usd = COALESCE(?, cost_usd), reason = ?, message = ?
      WHERE id = ?`,
  ).run(
    change.outcome,
    change.startedAt ?? null,
    change.endedAt ?? null,
    change.turnId ?? null,
    change.costUsd ?? null,
    change.reason ?? null,
    change.message ?? null,
    id,
  );
}

/** Runs left queued or running (by a process that is gone, at boot). */
export function openRuns(db: Database): ScheduleRunView[] {
  return prepared(
    db,
    "SELECT * FROM schedule_runs WHERE outcome IN ('queued', 'running') ORDER BY id",
  ).all() as unknown as RunRow[];
}

/** One run. */
export function getRun(db: Database, id: number): ScheduleRunView | undefined {
  return prepared(db, "SELECT * FROM schedule_runs WHERE id = ?").get(id) as RunRow | undefined;
}

/** A schedule's runs, newest first, before run id `before`. */
export function listRuns(
  db: Database,
  scheduleId: string,
  page: { limit: number; before?: number },
): ScheduleRunView[] {
  return prepared(
    db,
    `SELECT * FROM schedule_runs WHERE schedule_id = ? AND id < ? ORDER BY id DESC LIMIT ?`,
  ).all(scheduleId, page.before ?? Number.MAX_SAFE_INTEGER, page.limit) as unknown as RunRow[];
}

/** The USD a turn's metered LLM calls cost. */
export function turnCost(db: Database, turnId: string): number {
  const row = prepared(db, "SELECT COALESCE(SUM(cost_usd), 0) AS usd FROM usage WHERE turn_id = ?")
    .get(turnId) as { usd: number };
  return row.usd;
}

/** A schedule row as the API shows it, with its agent's name and latest run. */
export function scheduleView(db: Database, row: ScheduleRow): ScheduleView {
  const agent = prepared(db, "SELECT name FROM agents WHERE id = ?").get(row.agent_id) as
    | { name: string }
    | undefined;
  const last = listRuns(db, row.id, { limit: 1 })[0] ?? null;
  return {
    id: row.id,
    agent_id: row.agent_id,
    agent_name: agent?.name ?? "",
    owner: row.owner,
    kind: row.kind,
    expr: row.expr,
    tz: row.tz,
    message: row.message,
    catch_up: row.catch_up,
    overlap: row.overlap,
    max_runtime: formatDuration(row.max_runtime_ms),
    enabled: row.enabled === 1,
    next_run_at: row.enabled === 1 ? row.next_due : null,
    last_run: last,
    created_by: row.created_by,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
