/**
 * The `a2a_tasks` table: tasks of agents offered over A2A, as their A2A JSON,
 * the newest few thousand per agent kept.
 *
 * @module
 */
import { type Database, nowIso, prepared } from "./database.ts";

/** Tasks kept per agent; older ones are deleted as new ones come. */
export const A2A_TASKS_KEPT = 2000;

/** Stores (or replaces) a task's JSON; trims the agent's oldest tasks past the limit. */
export function saveA2aTask(
  db: Database,
  row: { id: string; agent: string; contextId: string; task: string },
): void {
  const existed = prepared(db, "SELECT 1 FROM a2a_tasks WHERE id = ?").get(row.id) !== undefined;
  prepared(
    db,
    `INSERT INTO a2a_tasks (id, agent, context_id, task, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET task = excluded.task, updated_at = excluded.updated_at
     WHERE a2a_tasks.agent = excluded.agent`,
  ).run(row.id, row.agent, row.contextId, row.task, nowIso());
  if (existed) return;
  prepared(
    db,
    `DELETE FROM a2a_tasks WHERE agent = ? AND id NOT IN
       (SELECT id FROM a2a_tasks WHERE agent = ? ORDER BY updated_at DESC, id DESC LIMIT ?)`,
  ).run(row.agent, row.agent, A2A_TASKS_KEPT);
}

/** A task's JSON, when it belongs to `agent`. */
export function loadA2aTask(db: Database, agent: string, id: string): string | undefined {
  const row = prepared(db, "SELECT task FROM a2a_tasks WHERE id = ? AND agent = ?").get(
    id,
    agent,
  ) as
    | { task: string }
    | undefined;
  return row?.task;
}

/** The agent's tasks' JSON, newest first (at most {@link A2A_TASKS_KEPT}). */
export function listA2aTasks(db: Database, agent: string, contextId?: string): string[] {
  const rows =
    (contextId === undefined
      ? prepared(db, "SELECT task FROM a2a_tasks WHERE agent = ? ORDER BY updated_at DESC, id DESC")
        .all(agent)
      : prepared(
        db,
        "SELECT task FROM a2a_tasks WHERE agent = ? AND context_id = ? ORDER BY updated_at DESC, id DESC",
      ).all(agent, contextId)) as { task: string }[];
  return rows.map((r) => r.task);
}
