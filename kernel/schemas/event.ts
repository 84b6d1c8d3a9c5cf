/**
 * The event bus's events: payloads by type, and the wire form SSE clients read back.
 *
 * @module
 */
import { z } from "zod";
import { AgentState } from "./agent.ts";
import { EVENT_TYPES, type EventType } from "../vocabulary.ts";
import { ApprovalEventData, TaintSourceView } from "./approval.ts";
import { RunOutcome, ScheduleKind } from "./schedule.ts";
import { TurnResult, Usage } from "./session.ts";

export { EVENT_TYPES, type EventType };

/** Event payloads by type (one per kernel/vocabulary.ts EVENT_TYPES); the bus persists every one but `gap`. */
export const EventPayloads = {
  "kernel.started": z.object({ version: z.string(), agents: z.number() }),
  "kernel.stopping": z.object({ reason: z.string() }),
  "agent.lifecycle": z.object({
    from: AgentState.nullable(),
    to: AgentState,
    reason: z.string().optional(),
  }),
  "agent.purged": z.object({ count: z.number() }),
  "turn.started": z.object({
    input: z.string(),
    /** An OpenAI-compatible request's turn: the agent's session is not used. */
    ephemeral: z.boolean().optional(),
  }),
  "message": z.object({ role: z.string(), text: z.string() }),
  "token": z.object({ text: z.string() }),
  "tool_start": z.object({
    call_id: z.string(),
    name: z.string(),
    args: z.record(z.string(), z.unknown()),
  }),
  "tool_end": z.object({
    call_id: z.string(),
    name: z.string(),
    ok: z.boolean(),
    output: z.string(),
    /** Why a failed call failed (`capability_denied`, `timeout`, …). */
    error_code: z.string().optional(),
  }),
  "usage": Usage.extend({
    model: z.string(),
    cost_usd: z.number().optional(),
    latency_ms: z.number().optional(),
  }),
  "budget": z.object({
    scope: z.string(),
    cap: z.string(),
    limit: z.number(),
    spent: z.number(),
    requested: z.number(),
  }),
  "session.repaired": z.object({ repairs: z.array(z.string()) }),
  "done": TurnResult,
  "error": z.object({ code: z.string(), message: z.string() }),
  "approval": ApprovalEventData,
  /** The turn took in outside content from a new source; `count` sources so far. */
  "taint": z.object({ source: TaintSourceView, count: z.number().int().positive() }),
  "audit": z.object({ action: z.string(), detail: z.string() }),
  "schedule.created": z.object({ schedule_id: z.string(), kind: ScheduleKind, owner: z.string() }),
  "schedule.updated": z.object({
    schedule_id: z.string(),
    enabled: z.boolean(),
    next_run_at: z.string().nullable(),
  }),
  "schedule.deleted": z.object({ schedule_id: z.string() }),
  "schedule.fired": z.object({
    schedule_id: z.string(),
    run_id: z.number(),
    trigger: z.string(),
    due_at: z.string(),
  }),
  "schedule.skipped": z.object({
    schedule_id: z.string(),
    run_id: z.number(),
    outcome: RunOutcome,
    reason: z.string(),
  }),
  "schedule.finished": z.object({
    schedule_id: z.string(),
    run_id: z.number(),
    outcome: RunOutcome,
    cost_usd: z.number(),
  }),
} as const satisfies Record<EventType, z.ZodType>;

/** One event of the kernel's bus. */
export interface TalonEvent<T extends EventType = EventType> {
  /** Position in the persisted log; `Last-Event-ID` on SSE. */
  id: number;
  ts: string;
  type: T;
  agent_id: string | null;
  turn_id: string | null;
  data: z.infer<(typeof EventPayloads)[T]>;
}

/** Delivered to a subscriber that fell behind: events `from_id..to_id` were skipped. */
export interface GapEvent {
  type: "gap";
  from_id: number;
  to_id: number;
}

/** Schema for an event read back from the wire. */
export const TalonEventWire = z.object({
  id: z.number().int(),
  ts: z.string(),
  type: z.enum(EVENT_TYPES),
  agent_id: z.string().nullable(),
  turn_id: z.string().nullable(),
  data: z.unknown(),
});
/** An event read back from the wire (data loosely typed). */
export type TalonEventWire = z.infer<typeof TalonEventWire>;

/** Query of `GET /api/events/stream`: an agent (id or name), event types, a resume point. */
export const EventStreamQuery = z.strictObject({
  agent_id: z.string().min(1).max(100).optional(),
  types: z.string().max(2000)
    .transform((s) => s.split(",").map((t) => t.trim()).filter((t) => t !== ""))
    .pipe(z.array(z.enum(EVENT_TYPES)))
    .optional(),
  after: z.coerce.number().int().nonnegative().optional(),
});
/** Event stream options. */
export type EventStreamQuery = z.infer<typeof EventStreamQuery>;
