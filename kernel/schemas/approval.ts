/**
 * Approvals: a gated tool call waits as a request until a person approves or
 * rejects it, it times out, or its turn ends. These are the request as the
 * API, CLI and dashboard see it, the list query, the decision bodies and the
 * `approval` event's payload.
 *
 * @module
 */
import { z } from "zod";

/** Where a request is in its life; only `pending` can still change. */
export const APPROVAL_STATUSES = [
  "pending",
  "approved",
  "rejected",
  "expired",
  "cancelled",
] as const;
/** An approval status. */
export const ApprovalStatus = z.enum(APPROVAL_STATUSES);
/** An approval status. */
export type ApprovalStatus = z.infer<typeof ApprovalStatus>;

/** Tool risk levels, least to most harmful. */
export const ToolRiskLevel = z.enum(["low", "medium", "high"]);

/**
 * Which rule gated a call: the config's `approvals.require`, the agent
 * manifest's `require_approval`, the tool's own default (e.g. `shell_exec`),
 * the config's `approvals.require_risk`, or taint (`[security] taint`: a
 * high-risk call in a turn that took in outside content).
 */
export const ApprovalGate = z.enum(["config", "manifest", "tool", "risk", "taint"]);
/** An approval gate kind. */
export type ApprovalGate = z.infer<typeof ApprovalGate>;

/** One place outside content came from, as a tainted turn records it. */
export const TaintSourceView = z.object({
  kind: z.enum(["tool", "agent", "channel", "a2a"]),
  /** The tool that took it in, when a tool did. */
  tool: z.string().optional(),
  /** A URL, `MCP server "docs"`, `agent "scout"`. */
  label: z.string(),
  host: z.string().optional(),
});
/** A taint source. */
export type TaintSourceView = z.infer<typeof TaintSourceView>;

/** One approval request: exactly what would run, and how it was decided. */
export const ApprovalView = z.object({
  id: z.string(),
  agent_id: z.string(),
  agent_name: z.string(),
  turn_id: z.string(),
  /** The model's id for the tool call. */
  call_id: z.string(),
  tool: z.string(),
  /** The validated arguments the tool runs with when approved. */
  args: z.record(z.string(), z.unknown()),
  risk: ToolRiskLevel,
  gate: ApprovalGate,
  /** Why the call is gated, in words, e.g. `approvals.require names "file_write"`. */
  rule: z.string(),
  status: ApprovalStatus,
  created_at: z.string(),
  /** When a pending request times out and the call is denied. */
  expires_at: z.string(),
  /** `system` for timeouts, restarts and cancellations. */
  decided_by: z.string().nullable(),
  decided_at: z.string().nullable(),
  /** A rejection's reason (the model sees it), or why it expired or was cancelled. */
  reason: z.string().nullable(),
  /** Where the turn's outside content came from, when a taint gate made it wait ([] otherwise). */
  taint: z.array(TaintSourceView),
});
/** An approval request. */
export type ApprovalView = z.infer<typeof ApprovalView>;

/** Query of `GET /api/approvals`: by status and agent (id or name), newest first. */
export const ApprovalListQuery = z.strictObject({
  status: ApprovalStatus.optional(),
  agent: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
/** Approval list options. */
export type ApprovalListQuery = z.infer<typeof ApprovalListQuery>;

/** `GET /api/approvals` response. */
export const ApprovalList = z.object({ approvals: z.array(ApprovalView) });
/** A list of approval requests. */
export type ApprovalList = z.infer<typeof ApprovalList>;

/** Body of `POST /api/approvals/{id}/approve`. */
export const ApproveBody = z.strictObject({});
/** An approve request body. */
export type ApproveBody = z.infer<typeof ApproveBody>;

/** Body of `POST /api/approvals/{id}/reject`: an optional reason the model sees. */
export const RejectBody = z.strictObject({
  reason: z.string().trim().min(1).max(2000).optional(),
});
/** A reject request body. */
export type RejectBody = z.infer<typeof RejectBody>;

/** How many requests wait for a decision (the count every page shows). */
export const PendingApprovals = z.object({ pending: z.number().int().nonnegative() });
/** The pending count. */
export type PendingApprovals = z.infer<typeof PendingApprovals>;

/** Payload of the `approval` event: published when a request is made and when it resolves. */
export const ApprovalEventData = z.object({
  id: z.string(),
  status: ApprovalStatus,
  tool: z.string(),
  risk: ToolRiskLevel,
  expires_at: z.string(),
  decided_by: z.string().nullable(),
  /** Requests still pending after this change, for live counters. */
  pending: z.number().int().nonnegative(),
});
/** An `approval` event payload. */
export type ApprovalEventData = z.infer<typeof ApprovalEventData>;
