/**
 * Procedural memory: an agent's own tool calls as the audit log recorded
 * them (`tool.call` entries: tool, outcome, duration, error code), and its
 * model calls from the usage rows over the same period.
 *
 * @module
 */
import type { ToolHistory, ToolHistoryEntry } from "../types.ts";
import { type Database, prepared } from "./database.ts";

/** The `limit` newest tool calls of `agentId` (of `tool` when given) and figures per tool. */
export function toolHistory(
  db: Database,
  agentId: string,
  options: { tool?: string; limit: number },
): ToolHistory {
  const calls = (prepared(
    db,
    `SELECT id AS audit_id, ts, json_extract(detail, '$.tool') AS tool,
            json_extract(detail, '$.ok') AS ok, json_extract(detail, '$.error_code') AS error_code,
            json_extract(detail, '$.duration_ms') AS duration_ms,
            json_extract(detail, '$.turn_id') AS turn_id
     FROM audit_entries
     WHERE agent_id = ? AND action = 'tool.call'
       AND (? IS NULL OR json_extract(detail, '$.tool') = ?)
     ORDER BY id DESC LIMIT ?`,
  ).all(agentId, options.tool ?? null, options.tool ?? null, options.limit) as {
    audit_id: number;
    ts: string;
    tool: string | null;
    ok: number | null;
    error_code: string | null;
    duration_ms: number | null;
    turn_id: string | null;
  }[]).map((r): ToolHistoryEntry => ({
    audit_id: r.audit_id,
    ts: r.ts,
    tool: r.tool ?? "",
    ok: r.ok === 1,
    error_code: r.error_code,
    duration_ms: r.duration_ms === null ? null : Math.round(r.duration_ms),
    turn_id: r.turn_id,
  }));
  const byTool = new Map<string, ToolHistory["tools"][number] & { total: number; timed: number }>();
  for (const call of [...calls].reverse()) {
    const t = byTool.get(call.tool) ?? {
      tool: call.tool,
      calls: 0,
      failures: 0,
      avg_duration_ms: null,
      last_error: null,
      total: 0,
      timed: 0,
    };
    t.calls++;
    if (!call.ok) {
      t.failures++;
      t.last_error = call.error_code ?? "failed";
    }
    if (call.duration_ms !== null) {
      t.total += call.duration_ms;
      t.timed++;
      t.avg_duration_ms = Math.round(t.total / t.timed);
    }
    byTool.set(call.tool, t);
  }
  const since = calls.at(-1)?.ts ?? new Date(8.64e15).toISOString();
  const usage = prepared(
    db,
    `SELECT COUNT(*) AS n, COALESCE(SUM(cost_usd), 0) AS usd FROM usage
     WHERE agent_id = ? AND created_at >= ?`,
  ).get(agentId, since) as { n: number; usd: number };
  return {
    calls,
    tools: [...byTool.values()].map(({ total: _t, timed: _n, ...rest }) => rest)
      .sort((a, b) => b.calls - a.calls || a.tool.localeCompare(b.tool)),
    llm_calls: usage.n,
    llm_cost_usd: usage.usd,
  };
}
