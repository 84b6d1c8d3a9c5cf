/**
 * Talon's vocabularies — event types, plain capabilities, audit actions — and
 * small helpers about wire text, as plain constants. The zod schemas
 * (kernel/schemas/) build their enums from these, so each list is written
 * once; `kernel/types.ts` re-exports them. Browser-safe and zod-free: islands
 * that need a list but no schema import this module (lint/arrows.ts allows
 * it), so they do not ship zod.
 *
 * @module
 */

/** Every persisted event type of the bus (`gap` is delivered, never persisted). */
export const EVENT_TYPES = [
  "kernel.started",
  "kernel.stopping",
  "agent.lifecycle",
  "agent.purged",
  "turn.started",
  "message",
  "token",
  "tool_start",
  "tool_end",
  "usage",
  "budget",
  "session.repaired",
  "done",
  "error",
  "approval",
  "taint",
  "audit",
  "schedule.created",
  "schedule.updated",
  "schedule.deleted",
  "schedule.fired",
  "schedule.skipped",
  "schedule.finished",
] as const;
/** Every persisted event type. */
export type EventType = (typeof EVENT_TYPES)[number];

/** Capabilities that take no parameter. */
export const PLAIN_CAPABILITIES = [
  "file_read",
  "file_write",
  "shell_exec",
  "agent_spawn",
  "agent_message",
  "agent_kill",
  "memory_read",
  "memory_write",
  "schedule_manage",
  "browser_control",
  "media_process",
] as const;

/** Actions the audit log records; the chain refuses any other. */
export const AUDIT_ACTIONS = [
  "agent.spawn",
  "agent.kill",
  "agent.pause",
  "agent.resume",
  "agent.stop",
  "agent.purge",
  "agent.update",
  "agent.message",
  "tool.call",
  "capability.allowed",
  "capability.denied",
  "approval.requested",
  "approval.decided",
  "budget.exceeded",
  "budget.set",
  "session.reset",
  "session.switch",
  "session.label",
  "session.compact",
  "backup.create",
  "memory.set",
  "memory.delete",
  "memory.remember",
  "memory.forget",
  "skill.load",
  "skill.install",
  "skill.remove",
  "schedule.created",
  "schedule.updated",
  "schedule.deleted",
  "schedule.fired",
  "schedule.skipped",
  "mcp.server.add",
  "mcp.server.remove",
  "mcp.server.allow",
  "mcp.server.flagged",
  "token.create",
  "token.revoke",
  "auth.login",
  "auth.logout",
  "content.quarantined",
  "exfiltration.blocked",
  "taint.source",
  "agent_message.rejected",
  "a2a.response_rejected",
  "manifest.verified",
  "manifest.rejected",
] as const;

/** True when a pasted manifest is a JSON object rather than TOML. */
export function isJsonText(text: string): boolean {
  return text.trimStart().startsWith("{");
}
