/**
 * The persisted event log behind the bus: every event but `gap` is stored,
 * and its id is its `Last-Event-ID` on SSE.
 *
 * ## Token deltas are stored coalesced
 *
 * A short turn streams dozens of `token` deltas; a row each cost ~10 KB per
 * turn. Ids are handed out here (one counter per connection), so a delta is
 * numbered and delivered live at once, but its row waits in memory: pending
 * deltas are written by {@link flushTokens} (the bus calls it on a short
 * timer and at close; every read of the log calls it first), one row per run
 * of one turn's deltas. Such a row has `type = 'token'`, `id` = the run's
 * first event id, `last_id` = its last, and data
 * `{"parts": ["…", …], "at"?: [offsets from id]}` (`at` only when other
 * events' ids fall inside the run). A run of one delta is stored as a plain
 * `token` row. Readers expand runs back into the individual `token` events
 * with their ids, so replay after any id — inside a run too — is exact.
 *
 * @module
 */
import type { EventType, TalonEvent } from "../types.ts";
import { type Database, prepared, transaction } from "./database.ts";

interface EventRow {
  id: number;
  ts: string;
  type: EventType;
  agent_id: string | null;
  turn_id: string | null;
  data: string;
  last_id: number | null;
}

/**
 * The widest id span of one stored run: pending deltas are flushed before
 * the oldest is this far behind the newest id, so a reader finds every run
 * reaching past an id within this many ids before it.
 */
export const MAX_RUN_SPAN = 1024;

interface PendingToken {
  id: number;
  ts: string;
  agent_id: string | null;
  turn_id: string | null;
  text: string;
}

interface IdState {
  /** The id the next event gets. */
  next: number;
  pending: PendingToken[];
}

const states = new WeakMap<Database, IdState>();

function idState(db: Database): IdState {
  let state = states.get(db);
  if (state === undefined) {
    state = { next: storedLastId(db) + 1, pending: [] };
    states.set(db, state);
  }
  return state;
}

function storedLastId(db: Database): number {
  // sqlite_sequence keeps the highest id ever used, even after pruning.
  const row = prepared(db, "SELECT seq FROM sqlite_sequence WHERE name = 'events'").get() as
    | { seq: number }
    | undefined;
  return row?.seq ?? 0;
}

function expand(db: Database, row: EventRow): TalonEvent[] {
  const { last_id, data, ...rest } = row;
  if (last_id === null) return [{ ...rest, data: fullData(db, row) } as TalonEvent];
  const run = JSON.parse(data) as { parts: string[]; at?: number[] };
  return run.parts.map((text, i) =>
    ({ ...rest, id: row.id + (run.at?.[i] ?? i), data: { text } }) as TalonEvent
  );
}

/**
 * What a stored event leaves out because its turn's row holds it (see
 * {@link compactData}), put back.
 */
function fullData(db: Database, row: EventRow): unknown {
  const data = JSON.parse(row.data) as Record<string, unknown>;
  if (row.turn_id === null) return data;
  const turn = (): { input: string; output: string } | undefined =>
    prepared(db, "SELECT input, output FROM turns WHERE id = ?").get(row.turn_id) as
      | { input: string; output: string }
      | undefined;
  if (row.type === "done" && !("turn_id" in data)) {
    const { status, ...more } = data;
    return {
      turn_id: row.turn_id,
      agent_id: row.agent_id,
      status,
      reply: turn()?.output ?? "",
      ...more,
    };
  }
  if (row.type === "turn.started" && !("input" in data)) return { input: turn()?.input ?? "" };
  if (row.type === "message" && data.role === "user" && !("text" in data)) {
    return { role: "user", text: turn()?.input ?? "" };
  }
  if (row.type === "message" && typeof data.message_id === "number") {
    const stored = prepared(db, "SELECT content FROM messages WHERE id = ?").get(data.message_id) as
      | { content: string }
      | undefined;
    return { role: data.role, text: stored ? (JSON.parse(stored.content).text ?? "") : "" };
  }
  return data;
}

/**
 * The JSON stored for `event`: without the text its turn's rows already hold
 * (a `done` event's reply and ids, the input of `turn.started` and of the
 * user's `message`, an assistant `message`'s text, kept as its message id)
 * when those rows match it; readers put it back. A short turn stores its
 * reply once in `messages` (and in `turns.output`), not again in its events.
 */
function compactData(db: Database, event: Omit<TalonEvent, "id">): string {
  const data = event.data as Record<string, unknown>;
  if (event.turn_id === null) return JSON.stringify(data);
  const holds = (column: "input" | "output", text: unknown): boolean =>
    typeof text === "string" &&
    prepared(
        db,
        column === "input"
          ? "SELECT 1 AS y FROM turns WHERE id = ? AND input = ?"
          : "SELECT 1 AS y FROM turns WHERE id = ? AND output = ?",
      ).get(event.turn_id, text) !== undefined;
  if (
    event.type === "done" && data.turn_id === event.turn_id && data.agent_id === event.agent_id &&
    holds("output", data.reply)
  ) {
    const { turn_id: _t, agent_id: _a, reply: _r, ...rest } = data;
    return JSON.stringify(rest);
  }
  const keys = Object.keys(data).length;
  if (event.type === "turn.started" && keys === 1 && holds("input", data.input)) return "{}";
  if (event.type === "message" && data.role === "user" && keys === 2 && holds("input", data.text)) {
    return '{"role":"user"}';
  }
  if (event.type === "message" && data.role === "assistant" && typeof data.text === "string") {
    // The turn's newest assistant message, stored just before its event.
    const newest = prepared(
      db,
      `SELECT id, json_extract(content, '$.text') AS text FROM messages
        WHERE turn_id = ? AND role = 'assistant' ORDER BY id DESC LIMIT 1`,
    ).get(event.turn_id) as { id: number; text: string } | undefined;
    if (newest?.text === data.text && keys === 2) {
      return `{"role":"assistant","message_id":${newest.id}}`;
    }
  }
  return JSON.stringify(data);
}

/**
 * Appends an event and returns it with its id. A `token` event is numbered
 * now and stored by the next {@link flushTokens}; every other event is
 * stored at once.
 */
export function appendEvent(
  db: Database,
  event: Omit<TalonEvent, "id">,
): TalonEvent {
  const state = idState(db);
  const id = state.next++;
  const text = (event.data as { text?: unknown }).text;
  if (event.type === "token" && typeof text === "string") {
    state.pending.push({
      id,
      ts: event.ts,
      agent_id: event.agent_id,
      turn_id: event.turn_id,
      text,
    });
    if (id - state.pending[0]!.id >= MAX_RUN_SPAN - 1) flushTokens(db);
  } else {
    prepared(
      db,
      "INSERT INTO events (id, ts, type, agent_id, turn_id, data) VALUES (?, ?, ?, ?, ?, ?)",
    ).run(id, event.ts, event.type, event.agent_id, event.turn_id, compactData(db, event));
  }
  return { ...event, id } as TalonEvent;
}

/** Whether token deltas wait to be stored (the bus arms its flush timer on this). */
export function hasPendingTokens(db: Database): boolean {
  return (states.get(db)?.pending.length ?? 0) > 0;
}

/** Stores the pending token deltas, one row per run of one turn's deltas. */
export function flushTokens(db: Database): void {
  const state = states.get(db);
  if (state === undefined || state.pending.length === 0) return;
  const runs = new Map<string, PendingToken[]>();
  const done: PendingToken[][] = [];
  for (const token of state.pending) {
    const key = `${token.agent_id ?? ""}\n${token.turn_id ?? ""}`;
    const run = runs.get(key);
    // A run shares its first delta's ts (pruning goes by it): one that
    // waited longer than a flush interval starts a new run.
    if (run && Date.parse(token.ts) - Date.parse(run[0]!.ts) <= 1000) run.push(token);
    else {
      if (run) done.push(run);
      runs.set(key, [token]);
    }
  }
  const lastId = state.pending.at(-1)!.id;
  state.pending = [];
  transaction(db, () => {
    const insert = prepared(
      db,
      `INSERT INTO events (id, ts, type, agent_id, turn_id, data, last_id)
       VALUES (?, ?, 'token', ?, ?, ?, ?)`,
    );
    for (const run of [...done, ...runs.values()]) {
      const first = run[0]!;
      const last = run.at(-1)!;
      if (run.length === 1) {
        insert.run(
          first.id,
          first.ts,
          first.agent_id,
          first.turn_id,
          `{"text":${JSON.stringify(first.text)}}`,
          null,
        );
        continue;
      }
      const contiguous = last.id - first.id === run.length - 1;
      const data = JSON.stringify({
        parts: run.map((t) => t.text),
        ...(contiguous ? {} : { at: run.map((t) => t.id - first.id) }),
      });
      insert.run(first.id, first.ts, first.agent_id, first.turn_id, data, last.id);
    }
    prepared(db, "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'events'").run(lastId);
  });
}

/** A filter on the event log. */
export interface EventFilter {
  agentId?: string;
  turnId?: string;
  types?: readonly string[];
}

function filterSql(filter: EventFilter): { where: string[]; params: (string | number)[] } {
  const where: string[] = [];
  const params: (string | number)[] = [];
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
  return { where, params };
}

/** Stored runs that start at or before `id` and reach past it. */
function runsAcross(db: Database, id: number, filter: EventFilter): EventRow[] {
  const { where, params } = filterSql(filter);
  return prepared(
    db,
    `SELECT * FROM events WHERE ${
      ["id <= ?", "id > ?", "last_id > ?", ...where].join(" AND ")
    } ORDER BY id`,
  ).all(id, id - MAX_RUN_SPAN, id, ...params) as unknown as EventRow[];
}

/** Events after `afterId` (exclusive) that match `filter`, oldest first, at most `limit`. */
export function readEvents(
  db: Database,
  afterId: number,
  filter: EventFilter & { limit: number; upToId?: number },
): TalonEvent[] {
  flushTokens(db);
  const { where, params } = filterSql(filter);
  const bounds = ["id > ?"];
  const boundParams: number[] = [afterId];
  if (filter.upToId !== undefined) {
    bounds.push("id <= ?");
    boundParams.push(filter.upToId);
  }
  const rows = prepared(
    db,
    `SELECT * FROM events WHERE ${[...bounds, ...where].join(" AND ")} ORDER BY id LIMIT ?`,
  ).all(...boundParams, ...params, filter.limit) as unknown as EventRow[];
  // A full page may stop inside runs whose later deltas interleave with rows
  // not read yet: return only ids up to the last row read.
  const upTo = Math.min(
    filter.upToId ?? Infinity,
    rows.length === filter.limit ? rows.at(-1)!.id : Infinity,
  );
  const events = [...runsAcross(db, afterId, filter), ...rows].flatMap((row) => expand(db, row))
    .filter((e) => e.id > afterId && e.id <= upTo);
  return events.sort((a, b) => a.id - b.id).slice(0, filter.limit);
}

/** The newest `limit` events of the given types (all types when none), newest first. */
export function recentEvents(
  db: Database,
  filter: { limit: number; types?: readonly string[] },
): TalonEvent[] {
  flushTokens(db);
  const types = filter.types ?? [];
  const rows = (types.length > 0
    ? prepared(
      db,
      "SELECT * FROM events WHERE type IN (SELECT value FROM json_each(?)) ORDER BY id DESC LIMIT ?",
    ).all(JSON.stringify(types), filter.limit)
    : prepared(db, "SELECT * FROM events ORDER BY id DESC LIMIT ?").all(
      filter.limit,
    )) as unknown as EventRow[];
  const events = rows.flatMap((row) => expand(db, row));
  if (rows.length === filter.limit) {
    // Deltas of older runs can be newer than the oldest row read.
    const oldest = rows.at(-1)!.id;
    events.push(
      ...runsAcross(db, oldest - 1, { types }).flatMap((row) => expand(db, row)).filter((e) =>
        e.id >= oldest
      ),
    );
  }
  const unique = new Map(events.map((e) => [e.id, e]));
  return [...unique.values()].sort((a, b) => b.id - a.id).slice(0, filter.limit);
}

/** The id of the newest event ever numbered (0 before the first), stored, pending or pruned. */
export function lastEventId(db: Database): number {
  return idState(db).next - 1;
}

/** The oldest event id still in the log, or undefined when it is empty. */
export function oldestEventId(db: Database): number | undefined {
  flushTokens(db);
  const row = prepared(db, "SELECT MIN(id) AS id FROM events").get() as { id: number | null };
  return row.id ?? undefined;
}

/**
 * Deletes token deltas older than `tokensBefore` and all events older than
 * `before`. Ids grow with time, so each cut is the first id at or after its
 * time, found by walking from the oldest row (as many rows as it deletes).
 */
export function pruneEvents(
  db: Database,
  cutoffs: { before: string; tokensBefore: string },
): number {
  flushTokens(db);
  const firstAtOrAfter = (ts: string): number => {
    const row = prepared(db, "SELECT id FROM events WHERE ts >= ? ORDER BY id LIMIT 1").get(ts) as
      | { id: number }
      | undefined;
    return row?.id ?? Number.MAX_SAFE_INTEGER;
  };
  return transaction(db, () => {
    const a = prepared(db, "DELETE FROM events WHERE id < ?").run(firstAtOrAfter(cutoffs.before));
    const b = prepared(db, "DELETE FROM events WHERE type = 'token' AND id < ?")
      .run(firstAtOrAfter(cutoffs.tokensBefore));
    return Number(a.changes) + Number(b.changes);
  });
}
