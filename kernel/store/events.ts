/**
 * The persisted event log behind the bus: every event but `gap` gets a row,
 * and its row id is the event id (`Last-Event-ID` on SSE).
 *
 * @module
 */
import type { EventType, TalonEvent } from "../types.ts";
import { type Database, prepared } from "./database.ts";

interface EventRow {
  id: number;
  ts: string;
  type: EventType;
  agent_id: string | null;
  turn_id: string | null;
  data: string;
}

function toEvent(row: EventRow): TalonEvent {
  return { ...row, data: JSON.parse(row.data) } as TalonEvent;
}

/** Appends an event; returns it with its id. */
export function appendEvent(
  db: Database,
  event: Omit<TalonEvent, "id">,
): TalonEvent {
  const row = prepared(
    db,
    `INSERT INTO events (ts, type, agent_id, turn_id, data)
     VALUES (?, ?, ?, ?, ?) RETURNING id`,
  ).get(
    event.ts,
    event.type,
    event.agent_id,
    event.turn_id,
    JSON.stringify(event.data),
  ) as { id: number };
  return { ...event, id: row.id } as TalonEvent;
}

/** A filter on the event log. */
export interface EventFilter {
  agentId?: string;
  turnId?: string;
  types?: readonly string[];
}

/** Events after `afterId` (exclusive) that match `filter`, oldest first. */
export function readEvents(
  db: Database,
  afterId: number,
  filter: EventFilter & { limit: number; upToId?: number },
): TalonEvent[] {
  const where = ["id > ?"];
  const params: (string | number)[] = [afterId];
  if (filter.upToId !== undefined) {
    where.push("id <= ?");
    params.push(filter.upToId);
  }
  if (filter.agentId !== undefined) {
    where.push("agent_id = ?");
    params.push(filter.agentId);
  }
  if (filter.turnId !== undefined) {
    where.push("turn_id = ?");
    params.push(filter.turnId);
  }
  if (filter.types && filter.types.length > 0) {
    where.push("type IN (SELECT value FROM json_each(?))");
    params.push(JSON.stringify(filter.types));
  }
  params.push(filter.limit);
  const rows = prepared(db, `SELECT * FROM events WHERE ${where.join(" AND ")} ORDER BY id LIMIT ?`)
    .all(...params) as unknown as EventRow[];
  return rows.map(toEvent);
}

/** The newest `limit` events of the given types (all types when none), newest first. */
export function recentEvents(
  db: Database,
  filter: { limit: number; types?: readonly string[] },
): TalonEvent[] {
  const types = filter.types ?? [];
  const rows = (types.length > 0
    ? prepared(
      db,
      "SELECT * FROM events WHERE type IN (SELECT value FROM json_each(?)) ORDER BY id DESC LIMIT ?",
    ).all(JSON.stringify(types), filter.limit)
    : prepared(db, "SELECT * FROM events ORDER BY id DESC LIMIT ?").all(
      filter.limit,
    )) as unknown as EventRow[];
  return rows.map(toEvent);
}

/** The id of the newest event ever written (0 before the first), pruned or not. */
export function lastEventId(db: Database): number {
  // sqlite_sequence keeps the highest id ever used, even after pruning.
  const row = prepared(db, "SELECT seq FROM sqlite_sequence WHERE name = 'events'").get() as
    | { seq: number }
    | undefined;
  return row?.seq ?? 0;
}

/** The oldest event id still in the log, or undefined when it is empty. */
export function oldestEventId(db: Database): number | undefined {
  const row = prepared(db, "SELECT MIN(id) AS id FROM events").get() as { id: number | null };
  return row.id ?? undefined;
}

/** Deletes token deltas older than `tokensBefore` and all events older than `before`. */
export function pruneEvents(
  db: Database,
  cutoffs: { before: string; tokensBefore: string },
): number {
  const a = prepared(db, "DELETE FROM events WHERE ts < ?").run(cutoffs.before);
  const b = prepared(db, "DELETE FROM events WHERE type = 'token' AND ts < ?")
    .run(cutoffs.tokensBefore);
  return Number(a.changes) + Number(b.changes);
}
