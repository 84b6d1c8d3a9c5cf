/**
 * An agent's many sessions, their compaction, and backups: the session list
 * and label, switching, exports, compaction results and summaries.
 *
 * @module
 */
import { z } from "zod";
import { SessionMessage } from "./session.ts";

/** A session id (a UUID) as a path parameter. */
export const SessionId = z.uuid("must be a session id (a UUID from `talon session list`)");

/** One of an agent's sessions. */
export const SessionView = z.object({
  id: z.string(),
  agent_id: z.string(),
  label: z.string(),
  /** The session new turns join; exactly one per agent. */
  current: z.boolean(),
  created_at: z.string(),
  message_count: z.number().int().nonnegative(),
  last_message_at: z.string().nullable(),
  /** How many summaries compaction wrote for it. */
  summaries: z.number().int().nonnegative(),
});
/** A session. */
export type SessionView = z.infer<typeof SessionView>;

/** `GET /api/agents/{id}/sessions`: newest first. */
export const SessionList = z.object({ sessions: z.array(SessionView) });
/** The list of an agent's sessions. */
export type SessionList = z.infer<typeof SessionList>;

/** Query of `GET /api/agents/{id}/sessions`. */
export const SessionListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
/** Session list options. */
export type SessionListQuery = z.infer<typeof SessionListQuery>;

/** A session label: free text shown beside the session (escaped everywhere). */
export const SessionLabel = z.string().trim().max(200, "must be at most 200 characters");

/** Body of `PATCH /api/agents/{id}/sessions/{sid}`. */
export const SessionPatch = z.strictObject({ label: SessionLabel });
/** A session edit. */
export type SessionPatch = z.infer<typeof SessionPatch>;

/** `POST /api/agents/{id}/session/reset` response: the new current session, the old one kept. */
export const SessionReset = z.object({
  agent_id: z.string(),
  session: SessionView,
  previous_session_id: z.string().nullable(),
});
/** The result of a session reset. */
export type SessionReset = z.infer<typeof SessionReset>;

/** Query of `GET /api/agents/{id}/sessions/{sid}/export`. */
export const SessionExportQuery = z.strictObject({
  format: z.enum(["json", "md"]).default("json"),
});
/** Export options. */
export type SessionExportQuery = z.infer<typeof SessionExportQuery>;

/** A summary compaction wrote: it stands in the prompt for the messages it covers. */
export const SessionSummaryView = z.object({
  id: z.number().int(),
  /** Covers every message of turns started up to this start order. */
  through_seq: z.number().int().nonnegative(),
  first_message: z.number().int(),
  last_message: z.number().int(),
  message_count: z.number().int().positive(),
  text: z.string(),
  model: z.string(),
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
  trigger: z.enum(["auto", "manual"]),
  created_at: z.string(),
});
/** A session summary. */
export type SessionSummaryView = z.infer<typeof SessionSummaryView>;

/** `?format=json` export: the session, every message oldest first, and its summaries. */
export const SessionExport = z.object({
  agent: z.object({ id: z.string(), name: z.string() }),
  session: SessionView,
  messages: z.array(SessionMessage),
  summaries: z.array(SessionSummaryView),
  exported_at: z.string(),
});
/** A session export. */
export type SessionExport = z.infer<typeof SessionExport>;

/** `POST /api/agents/{id}/compact` response. */
export const CompactResult = z.object({
  agent_id: z.string(),
  session_id: z.string().nullable(),
  /** False when there was nothing older than the turns kept verbatim. */
  compacted: z.boolean(),
  summary: SessionSummaryView.nullable(),
  /** Messages the prompt kept verbatim after the summary. */
  kept_messages: z.number().int().nonnegative(),
});
/** What a compaction did. */
export type CompactResult = z.infer<typeof CompactResult>;
