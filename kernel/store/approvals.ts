/**
 * The `approvals` table: one row per gated tool call, kept after it is
 * decided. Only a `pending` row changes, and only once.
 *
 * @module
 */
import type { ApprovalGate, ApprovalStatus, ApprovalView, TaintSourceView } from "../types.ts";
import { type Database, prepared } from "./database.ts";

/** A new request, as the approval service creates it. */
export interface NewApproval {
  id: string;
  agentId: string;
  turnId: string;
  callId: string;
  tool: string;
  args: Record<string, unknown>;
  risk: ApprovalView["risk"];
  gate: ApprovalGate;
  rule: string;
  /** The turn's taint sources, when a taint gate made the call wait. */
  taint?: readonly TaintSourceView[];
  createdAt: string;
  expiresAt: string;
}

interface ApprovalRow extends Omit<ApprovalView, "args" | "taint"> {
  args: string;
  taint: string;
}

const SELECT =
  `SELECT a.*, g.name AS agent_name FROM approvals a JOIN agents g ON g.id = a.agent_id`;

/** A row as the API shows it, keys in the schema's order (the CLI's JSON is the same either way). */
function view(row: ApprovalRow): ApprovalView {
  return {
    id: row.id,
    agent_id: row.agent_id,
    agent_name: row.agent_name,
    turn_id: row.turn_id,
    call_id: row.call_id,
    tool: row.tool,
    args: JSON.parse(row.args),
    risk: row.risk,
    gate: row.gate,
    rule: row.rule,
    status: row.status,
    created_at: row.created_at,
    expires_at: row.expires_at,
    decided_by: row.decided_by,
    decided_at: row.decided_at,
    reason: row.reason,
    taint: JSON.parse(row.taint),
  };
}

/** Inserts a pending request. */
export function insertApproval(db: Database, a: NewApproval): void {
  prepared(
    db,
    `INSERT INTO approvals (id, agent_id, turn_id, call_id, tool, args, risk, gate, rule,
                            status, created_at, expires_at, taint)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
  ).run(
    a.id,
    a.agentId,
    a.turnId,
    a.callId,
    a.tool,
    JSON.stringify(a.args),
    a.risk,
    a.gate,
    a.rule,
    a.createdAt,
    a.expiresAt,
    JSON.stringify(a.taint ?? []),
  );
}

/** The request with `id`, if any. */
export function getApproval(db: Database, id: string): ApprovalView | undefined {
  const row = prepared(db, `${SELECT} WHERE a.id = ?`).get(id) as ApprovalRow | undefined;
  return row ? view(row) : undefined;
}

/** Requests newest first, optionally of one status, one agent and one turn. */
export function listApprovals(
  db: Database,
  options: { status?: ApprovalStatus; agentId?: string; turnId?: string; limit: number },
): ApprovalView[] {
  const where: string[] = [];
  const params: string[] = [];
  for (
    const [column, value] of [
      ["a.status", options.status],
      ["a.agent_id", options.agentId],
      ["a.turn_id", options.turnId],
    ] as const
  ) {
    if (value === undefined) continue;
    where.push(`${column} = ?`);
    params.push(value);
  }
  const rows = prepared(
    db,
    `${SELECT} ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
     ORDER BY a.created_at DESC, a.rowid DESC LIMIT ?`,
  ).all(...params, options.limit) as unknown as ApprovalRow[];
  return rows.map(view);
}

/** Ids of every pending request, oldest first. */
export function pendingApprovalIds(db: Database): string[] {
  return (prepared(
    db,
    "SELECT id FROM approvals WHERE status = 'pending' ORDER BY created_at, rowid",
  ).all() as { id: string }[]).map((r) => r.id);
}

/** How many requests are pending. */
export function countPendingApprovals(db: Database): number {
  return (prepared(db, "SELECT COUNT(*) AS n FROM approvals WHERE status = 'pending'").get() as {
    n: number;
  }).n;
}

/**
 * Moves a pending request to `status`; false (nothing written) when it is
 * not pending any more.
 */
export function decideApproval(
  db: Database,
  id: string,
  decision: { status: Exclude<ApprovalStatus, "pending">; by: string; at: string; reason?: string },
): boolean {
  const result = prepared(
    db,
    `UPDATE approvals SET status = ?, decided_by = ?, decided_at = ?, reason = ?
     WHERE id = ? AND status = 'pending'`,
  ).run(decision.status, decision.by, decision.at, decision.reason ?? null, id);
  return Number(result.changes) > 0;
}
