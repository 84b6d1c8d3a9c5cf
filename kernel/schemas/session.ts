/**
 * Turns and sessions: messages, tool calls, usage, how a turn ended, and session paging.
 *
 * @module
 */
import { z } from "zod";

/** Token counts of one LLM call or turn. */
export const Usage = z.object({
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
});
/** Token counts. */
export type Usage = z.infer<typeof Usage>;

/** A tool call requested by a model. */
export const ToolCall = z.object({
  id: z.string(),
  name: z.string(),
  args: z.record(z.string(), z.unknown()),
});
/** A tool call. */
export type ToolCall = z.infer<typeof ToolCall>;

/** One message of an agent's session. */
export const SessionMessage = z.object({
  id: z.number().int(),
  turn_id: z.string().nullable(),
  role: z.enum(["user", "assistant", "tool"]),
  text: z.string(),
  tool_calls: z.array(ToolCall).optional(),
  tool_call_id: z.string().optional(),
  /** A tool result's failure code (`capability_denied`, `timeout`, …) when the call failed. */
  error_code: z.string().optional(),
  status: z.enum(["complete", "stopped", "interrupted"]).optional(),
  /**
   * On a user message in a session page: how the turn it started ended, when it
   * did not complete (`failed`, `interrupted`, `stopped`, `cancelled`) — also
   * when it stored no answer, as a turn a crash cut off before its first token.
   */
  turn_status: z.enum(["failed", "interrupted", "stopped", "cancelled"]).optional(),
  /** With `turn_status`: the error the turn recorded, when it recorded one. */
  turn_error: z.string().optional(),
  created_at: z.string(),
});
/** A session message. */
export type SessionMessage = z.infer<typeof SessionMessage>;

/** Statuses of a turn (one user message and everything it caused). */
export const TurnStatus = z.enum([
  "queued",
  "running",
  "completed",
  "failed",
  "interrupted",
  "stopped",
  "cancelled",
]);
/** A turn status. */
export type TurnStatus = z.infer<typeof TurnStatus>;

/** How a turn ended, as `agent message` and the API report it. */
export const TurnResult = z.object({
  turn_id: z.string(),
  agent_id: z.string(),
  status: TurnStatus,
  reply: z.string(),
  usage: Usage,
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
/** A finished turn. */
export type TurnResult = z.infer<typeof TurnResult>;

/** `POST /api/agents/{id}/stop`: whether a turn was in flight, and how it ended. */
export const StopResult = z.object({
  agent_id: z.string(),
  stopped: z.boolean(),
  turn_id: z.string().nullable(),
  status: TurnStatus.nullable(),
  reply: z.string(),
});
/** The result of stopping an agent's turn. */
export type StopResult = z.infer<typeof StopResult>;

/** Query of `GET /api/agents/{id}/session`: `before` is a message id. */
export const SessionQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.coerce.number().int().positive().optional(),
});
/** Session paging options. */
export type SessionQuery = z.infer<typeof SessionQuery>;

/** `GET /api/agents/{id}/session` response, oldest first; `next_before` pages back. */
export const SessionPage = z.object({
  messages: z.array(SessionMessage),
  next_before: z.number().int().nullable(),
});
/** A page of an agent's session. */
export type SessionPage = z.infer<typeof SessionPage>;
