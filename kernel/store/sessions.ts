/**
 * Turns and session messages. A turn is one user message and everything it
 * caused; messages are the agent's session, the history its prompts are
 * built from.
 *
 * @module
 */
import type { SessionMessage, ToolCall, TurnStatus, Usage } from "../types.ts";
import { type Database, nowIso, prepared } from "./database.ts";
import { currentSessionId, ensureCurrentSession } from "./session_records.ts";

/** The JSON stored in `messages.content`. */
export interface MessageContent {
  text: string;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
  error_code?: string;
  status?: "complete" | "stopped" | "interrupted";
}

/** A turn row. */
export interface TurnRecord {
  id: string;
  agent_id: string;
  status: TurnStatus;
  input: string;
  output: string;
  error_code: string | null;
  error_message: string | null;
  input_tokens: number;
  output_tokens: number;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  /** The session the turn's messages join (null for an ephemeral turn). */
  session_id: string | null;
}

/**
 * Inserts a queued turn and (unless ephemeral) its user message; call inside
 * a transaction. The turn joins the agent's current session (created when it
 * has none); every message it writes later goes there too.
 */
export function insertTurn(
  db: Database,
  turn: { id: string; agentId: string; input: string; ephemeral?: boolean },
): void {
  const now = nowIso();
  const sessionId = turn.ephemeral ? null : ensureCurrentSession(db, turn.agentId);
  prepared(
    db,
    `INSERT INTO turns (id, agent_id, status, input, created_at, session_id)
     VALUES (?, ?, 'queued', ?, ?, ?)`,
  ).run(turn.id, turn.agentId, turn.input, now, sessionId);
  if (turn.ephemeral) return;
  appendMessage(db, {
    agentId: turn.agentId,
    turnId: turn.id,
    role: "user",
    content: { text: turn.input },
  });
}

/**
 * Marks a turn running: gives it the next start order and stamps its queued
 * user message with it, so prompts see the message from now on.
 */
export function startTurn(db: Database, id: string): void {
  const row = prepared(
    db,
    `UPDATE turns SET status = 'running', started_at = ?,
       start_seq = (SELECT coalesce(max(start_seq), 0) + 1 FROM turns WHERE start_seq IS NOT NULL)
     WHERE id = ? RETURNING start_seq`,
  ).get(nowIso(), id) as { start_seq: number } | undefined;
  if (row) prepared(db, "UPDATE messages SET seq = ? WHERE turn_id = ?").run(row.start_seq, id);
}

/** Records how a turn ended. */
export function finishTurn(
  db: Database,
  id: string,
  end: {
    status: TurnStatus;
    output: string;
    usage: Usage;
    error?: { code: string; message: string };
  },
): void {
  prepared(
    db,
    `UPDATE turns SET status = ?, output = ?, input_tokens = ?, output_tokens = ?,
                      error_code = ?, error_message = ?, ended_at = ?
     WHERE id = ?`,
  ).run(
    end.status,
    end.output,
    end.usage.input_tokens,
    end.usage.output_tokens,
    end.error?.code ?? null,
    end.error?.message ?? null,
    nowIso(),
    id,
  );
}

/** The turn with this id, or undefined. */
export function getTurn(db: Database, id: string): TurnRecord | undefined {
  return prepared(db, "SELECT * FROM turns WHERE id = ?").get(id) as
    | TurnRecord
    | undefined;
}

/** Turns still queued or running (after a crash: ones that were in flight). */
export function openTurns(db: Database, agentId?: string): TurnRecord[] {
  const sql = agentId === undefined
    ? "SELECT * FROM turns WHERE status IN ('queued', 'running') ORDER BY created_at"
    : "SELECT * FROM turns WHERE status IN ('queued', 'running') AND agent_id = ? ORDER BY created_at";
  const stmt = prepared(db, sql);
  return (agentId === undefined ? stmt.all() : stmt.all(agentId)) as unknown as TurnRecord[];
}

/** True while the agent has a queued or running turn in one of its sessions (not an ephemeral one). */
export function hasOpenSessionTurns(db: Database, agentId: string): boolean {
  return prepared(
    db,
    `SELECT 1 FROM turns WHERE status IN ('queued', 'running') AND agent_id = ?
       AND session_id IS NOT NULL LIMIT 1`,
  ).get(agentId) !== undefined;
}

/**
 * Appends a message to an agent's session — its turn's, or for a message of
 * no turn the current one (created when missing); returns its id. Call
 * inside a transaction.
 */
export function appendMessage(
  db: Database,
  message: {
    agentId: string;
    turnId: string | null;
    role: SessionMessage["role"];
    content: MessageContent;
  },
): number {
  const loose = message.turnId === null ? ensureCurrentSession(db, message.agentId) : null;
  // seq: the turn's start order (NULL while it is queued), 0 for no turn.
  const row = prepared(
    db,
    `INSERT INTO messages (agent_id, turn_id, role, content, created_at, seq, session_id)
     VALUES (?1, ?2, ?3, ?4, ?5,
             CASE WHEN ?2 IS NULL THEN 0 ELSE (SELECT start_seq FROM turns WHERE id = ?2) END,
             CASE WHEN ?2 IS NULL THEN ?6 ELSE (SELECT session_id FROM turns WHERE id = ?2) END)
     RETURNING id`,
  ).get(
    message.agentId,
    message.turnId,
    message.role,
    JSON.stringify(message.content),
    nowIso(),
    loose,
  ) as { id: number };
  return row.id;
}

interface MessageRow {
  id: number;
  turn_id: string | null;
  role: SessionMessage["role"];
  content: string;
  created_at: string;
  /** A user message's turn status and error (session pages only). */
  turn_status?: TurnStatus | null;
  turn_error?: string | null;
}

/** Turn statuses a session page shows on the user message that started the turn. */
const UNFINISHED = new Set<TurnStatus>(["failed", "interrupted", "stopped", "cancelled"]);

function toMessage(row: MessageRow): SessionMessage {
  const content = JSON.parse(row.content) as MessageContent;
  const message: SessionMessage = {
    id: row.id,
    turn_id: row.turn_id,
    role: row.role,
    created_at: row.created_at,
    ...content,
  };
  const status = row.turn_status;
  if (status && UNFINISHED.has(status)) {
    message.turn_status = status as NonNullable<SessionMessage["turn_status"]>;
    if (row.turn_error) message.turn_error = row.turn_error;
  }
  return message;
}

/** Which messages {@link sessionMessages} reads. */
export interface SessionMessagesOptions {
  limit: number;
  /** Only messages with an id below this one. */
  before?: number;
  /** What a prompt may see (see {@link sessionMessages}). */
  promptOnly?: boolean;
  /** The session; the agent's current one by default. */
  sessionId?: string;
  /** With `promptOnly`: only turns that started after the `afterSeq`-th (a summary covers the rest). */
  afterSeq?: number;
}

/**
 * The last `limit` messages of one of an agent's sessions (the current one
 * by default) in chronological order, optionally only those with id below
 * `before`. `promptOnly` gives what a prompt may see: only messages of turns
 * that started, each turn's messages together in the order the turns ran (a
 * queued turn's user message is stored when it is queued, before earlier
 * turns' replies), and starting at a turn boundary — a turn the limit would
 * cut is left out whole, unless it is the only one in the window.
 */
export function sessionMessages(
  db: Database,
  agentId: string,
  options: SessionMessagesOptions,
): SessionMessage[] {
  const sessionId = options.sessionId ?? currentSessionId(db, agentId);
  if (sessionId === undefined) return [];
  const before = options.before ?? Number.MAX_SAFE_INTEGER;
  if (!options.promptOnly) {
    const rows = prepared(
      db,
      `SELECT m.id, m.turn_id, m.role, m.content, m.created_at,
              CASE WHEN m.role = 'user' THEN t.status END AS turn_status,
              CASE WHEN m.role = 'user' THEN t.error_message END AS turn_error
         FROM messages m LEFT JOIN turns t ON t.id = m.turn_id
        WHERE m.session_id = ? AND m.agent_id = ? AND m.id < ? ORDER BY m.id DESC LIMIT ?`,
    ).all(sessionId, agentId, before, options.limit) as unknown as MessageRow[];
    return rows.reverse().map(toMessage);
  }
  return promptRows(db, agentId, { ...options, sessionId, before }).map((e) => e.message);
}

/** Messages of a session with an id above `after`, oldest first (for exports). */
export function sessionMessagesAfter(
  db: Database,
  sessionId: string,
  options: { after: number; limit: number },
): SessionMessage[] {
  const rows = prepared(
    db,
    `SELECT id, turn_id, role, content, created_at FROM messages
      WHERE session_id = ? AND id > ? ORDER BY id LIMIT ?`,
  ).all(sessionId, options.after, options.limit) as unknown as MessageRow[];
  return rows.map(toMessage);
}

/** A prompt message with the start order of its turn (0 for a message of no turn). */
export interface PromptEntry {
  message: SessionMessage;
  seq: number;
}

/**
 * What {@link sessionMessages} gives with `promptOnly`, each message with
 * its turn's start order (compaction cuts at turn boundaries by it).
 */
export function promptEntries(
  db: Database,
  agentId: string,
  options: { limit: number; sessionId: string; afterSeq?: number },
): PromptEntry[] {
  return promptRows(db, agentId, options);
}

/**
 * How many prompt messages session `sessionId` has after the `afterSeq`-th
 * turn, counting no further than `cap` (the cost stays bounded by it).
 */
export function countPromptMessages(
  db: Database,
  sessionId: string,
  options: { afterSeq?: number; cap: number },
): number {
  const row = prepared(
    db,
    `SELECT count(*) AS n FROM (SELECT 1 FROM messages INDEXED BY messages_prompt
      WHERE session_id = ? AND seq IS NOT NULL AND seq > ? LIMIT ?)`,
  ).get(sessionId, options.afterSeq ?? -1, options.cap) as { n: number };
  return row.n;
}

/**
 * Parsed prompt messages by id, per connection. A stored message never
 * changes (only its `seq`, which is not cached, is stamped when its turn
 * starts) and ids are never reused once committed, so an entry never goes
 * stale; rows read inside an open transaction are not cached (a rollback
 * could hand their ids out again). Bounded: the oldest entries go first.
 */
const messageCache = new WeakMap<Database, Map<number, CachedMessage>>();

/** Most parsed messages kept per connection (a few MB at most). */
export const MESSAGE_CACHE_SIZE = 8192;

interface CachedMessage {
  agentId: string;
  message: SessionMessage;
}

function promptRows(
  db: Database,
  agentId: string,
  options: { limit: number; sessionId: string; before?: number; afterSeq?: number },
): PromptEntry[] {
  // One message past the window says whether its oldest turn is cut. The
  // walk reads only the index (session_id, seq, id); the index is forced:
  // with `id < ?` the planner would pick another one and sort the session's
  // whole history. Messages of one turn share its seq.
  const keys = prepared(
    db,
    `SELECT id, seq FROM messages INDEXED BY messages_prompt
      WHERE session_id = ? AND seq IS NOT NULL AND seq > ? AND id < ?
      ORDER BY seq DESC, id DESC LIMIT ?`,
  ).all(
    options.sessionId,
    options.afterSeq ?? -1,
    options.before ?? Number.MAX_SAFE_INTEGER,
    options.limit + 1,
  ) as unknown as { id: number; seq: number }[];
  if (keys.length > options.limit) {
    const cut = keys.pop()!.seq;
    let keep = keys.length;
    while (cut !== 0 && keep > 0 && keys[keep - 1]!.seq === cut) keep--;
    if (keep > 0) keys.length = keep;
  }
  const rows = cachedMessages(db, keys.map((k) => k.id));
  // Shared, frozen messages: a prompt reads hundreds per call, copies would
  // be garbage at once.
  const result: PromptEntry[] = [];
  for (let i = keys.length - 1; i >= 0; i--) {
    const cached = rows.get(keys[i]!.id);
    if (cached !== undefined && cached.agentId === agentId) {
      result.push({ message: cached.message, seq: keys[i]!.seq });
    }
  }
  return result;
}

/** The rows of messages `ids`, from the cache or read (and cached) in one query. */
function cachedMessages(db: Database, ids: readonly number[]): Map<number, CachedMessage> {
  let cache = messageCache.get(db);
  if (cache === undefined) {
    cache = new Map();
    messageCache.set(db, cache);
  }
  const found = new Map<number, CachedMessage>();
  const missing: number[] = [];
  for (const id of ids) {
    const hit = cache.get(id);
    if (hit === undefined) missing.push(id);
    else found.set(id, hit);
  }
  if (missing.length === 0) return found;
  const rows = prepared(
    db,
    `SELECT id, agent_id, turn_id, role, content, created_at FROM messages
      WHERE id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(missing)) as unknown as (MessageRow & { agent_id: string })[];
  const keep = !db.isTransaction;
  for (const { agent_id, ...row } of rows) {
    const entry = { agentId: agent_id, message: deepFreeze(toMessage(row)) };
    found.set(row.id, entry);
    if (!keep) continue;
    if (cache.size >= MESSAGE_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(row.id, entry);
  }
  return found;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
