/**
 * An agent's sessions (one of them current) and the summaries compaction
 * writes for them. Messages live in `messages` (sessions.ts), each in one
 * session; nothing here changes or deletes a message.
 *
 * @module
 */
import type { SessionSummaryView, SessionView } from "../types.ts";
import { type Database, nowIso, prepared } from "./database.ts";

interface SessionRow {
  id: string;
  agent_id: string;
  label: string;
  current: number;
  created_at: string;
  message_count: number;
  last_message_at: string | null;
  summaries: number;
}

const SESSION_COLUMNS = `s.id, s.agent_id, s.label, s.current, s.created_at,
  (SELECT count(*) FROM messages m WHERE m.session_id = s.id) AS message_count,
  (SELECT max(created_at) FROM messages m WHERE m.session_id = s.id) AS last_message_at,
  (SELECT count(*) FROM session_summaries u WHERE u.session_id = s.id) AS summaries`;

function toView(row: SessionRow): SessionView {
  return { ...row, current: row.current === 1 };
}

/** The id of the agent's current session, if it has one. */
export function currentSessionId(db: Database, agentId: string): string | undefined {
  const row = prepared(db, "SELECT id FROM sessions WHERE agent_id = ? AND current = 1")
    .get(agentId) as { id: string } | undefined;
  return row?.id;
}

/** The agent's current session id, creating the session when it has none; call in a transaction. */
export function ensureCurrentSession(db: Database, agentId: string): string {
  return currentSessionId(db, agentId) ?? startSession(db, agentId);
}

/**
 * Starts a new, empty session and makes it current; the previous one is kept.
 * Call inside a transaction. Returns the new id.
 */
export function startSession(db: Database, agentId: string, label = ""): string {
  const id = crypto.randomUUID();
  prepared(db, "UPDATE sessions SET current = 0 WHERE agent_id = ? AND current = 1").run(agentId);
  prepared(
    db,
    "INSERT INTO sessions (id, agent_id, label, current, created_at) VALUES (?, ?, ?, 1, ?)",
  ).run(id, agentId, label, nowIso());
  return id;
}

/** Makes session `sessionId` of the agent current; false when the agent has no such session. */
export function makeSessionCurrent(db: Database, agentId: string, sessionId: string): boolean {
  if (!getSessionRecord(db, agentId, sessionId)) return false;
  prepared(db, "UPDATE sessions SET current = 0 WHERE agent_id = ? AND current = 1").run(agentId);
  prepared(db, "UPDATE sessions SET current = 1 WHERE id = ? AND agent_id = ?")
    .run(sessionId, agentId);
  return true;
}

/** Session `sessionId` when it belongs to the agent, else undefined. */
export function getSessionRecord(
  db: Database,
  agentId: string,
  sessionId: string,
): SessionView | undefined {
  const row = prepared(
    db,
    `SELECT ${SESSION_COLUMNS} FROM sessions s WHERE s.id = ? AND s.agent_id = ?`,
  ).get(sessionId, agentId) as SessionRow | undefined;
  return row ? toView(row) : undefined;
}

/** The agent's sessions, newest first. */
export function listSessionRecords(
  db: Database,
  agentId: string,
  options: { limit: number },
): SessionView[] {
  const rows = prepared(
    db,
    `SELECT ${SESSION_COLUMNS} FROM sessions s WHERE s.agent_id = ?
      ORDER BY s.created_at DESC, s.rowid DESC LIMIT ?`,
  ).all(agentId, options.limit) as unknown as SessionRow[];
  return rows.map(toView);
}

/** Sets a session's label; false when the agent has no such session. */
export function setSessionLabel(
  db: Database,
  agentId: string,
  update: { sessionId: string; label: string },
): boolean {
  return prepared(db, "UPDATE sessions SET label = ? WHERE id = ? AND agent_id = ?")
    .run(update.label, update.sessionId, agentId).changes > 0;
}

/** A summary to store: what it covers, its text, and the call that wrote it. */
export type NewSummary = Omit<SessionSummaryView, "id" | "created_at"> & { sessionId: string };

/** Stores a summary; returns it as stored. */
export function insertSummary(db: Database, summary: NewSummary): SessionSummaryView {
  const { sessionId, ...fields } = summary;
  const row = prepared(
    db,
    `INSERT INTO session_summaries (session_id, through_seq, first_message, last_message,
       message_count, text, model, input_tokens, output_tokens, trigger, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id, created_at`,
  ).get(
    sessionId,
    fields.through_seq,
    fields.first_message,
    fields.last_message,
    fields.message_count,
    fields.text,
    fields.model,
    fields.input_tokens,
    fields.output_tokens,
    fields.trigger,
    nowIso(),
  ) as { id: number; created_at: string };
  return { ...fields, id: row.id, created_at: row.created_at };
}

const SUMMARY_COLUMNS = `id, through_seq, first_message, last_message, message_count, text,
  model, input_tokens, output_tokens, trigger, created_at`;

/** The newest summary of a session (the one prompts use), if any. */
export function latestSummary(db: Database, sessionId: string): SessionSummaryView | undefined {
  return prepared(
    db,
    `SELECT ${SUMMARY_COLUMNS} FROM session_summaries WHERE session_id = ? ORDER BY id DESC LIMIT 1`,
  ).get(sessionId) as SessionSummaryView | undefined;
}

/** Every summary of a session, oldest first. */
export function listSummaries(db: Database, sessionId: string): SessionSummaryView[] {
  return prepared(
    db,
    `SELECT ${SUMMARY_COLUMNS} FROM session_summaries WHERE session_id = ? ORDER BY id`,
  ).all(sessionId) as unknown as SessionSummaryView[];
}
