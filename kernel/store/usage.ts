/**
 * Metering and caps: one `usage` row per LLM call, the per-agent caps an
 * admin set (`agents.budget`), and the global caps (`global_budget`).
 *
 * @module
 */
import { type Database, nowIso, prepared, transaction } from "./database.ts";

/** One LLM call as metered. */
export interface UsageRecord {
  agentId: string;
  turnId: string | null;
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: number;
  /** ISO time; now when omitted. */
  at?: string;
}

/** Inserts a usage row and adds it to its minute's roll-ups (the agent's and everyone's). */
export function insertUsage(db: Database, usage: UsageRecord): void {
  const at = usage.at ?? nowIso();
  const minute = Math.floor(Date.parse(at) / MINUTE_MS);
  if (!Number.isFinite(minute)) throw new RangeError(`usage time "${at}" is not an ISO time`);
  const tokens = usage.inputTokens + usage.outputTokens;
  transaction(db, () => {
    prepared(
      db,
      `INSERT INTO usage (agent_id, turn_id, provider, model, input_tokens, output_tokens,
                          cost_usd, latency_ms, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      usage.agentId,
      usage.turnId,
      usage.provider,
      usage.model,
      usage.inputTokens,
      usage.outputTokens,
      usage.costUsd,
      usage.latencyMs,
      at,
    );
    const rollUp = prepared(
      db,
      `INSERT INTO usage_minutes (agent_id, minute, calls, tokens, cost_usd) VALUES (?, ?, 1, ?, ?)
       ON CONFLICT (agent_id, minute) DO UPDATE SET calls = calls + 1,
         tokens = tokens + excluded.tokens, cost_usd = cost_usd + excluded.cost_usd`,
    );
    rollUp.run(usage.agentId, minute, tokens, usage.costUsd);
    rollUp.run(EVERYONE, minute, tokens, usage.costUsd);
  });
}

const MINUTE_MS = 60_000;
/** The roll-up rows of all agents together. */
const EVERYONE = "";

/** Totals over a set of usage rows. */
export interface UsageTotals {
  calls: number;
  tokens: number;
  cost_usd: number;
}

/**
 * Totals since `since` (ISO time), for the given agents or for everyone when
 * `agentIds` is undefined: the whole minutes from the per-minute roll-ups,
 * the first, partial minute from the usage rows themselves.
 */
export function usageSince(
  db: Database,
  since: string,
  agentIds?: readonly string[],
): UsageTotals {
  const sinceMs = Date.parse(since);
  if (!Number.isFinite(sinceMs)) throw new RangeError(`"${since}" is not an ISO time`);
  const firstWhole = Math.ceil(sinceMs / MINUTE_MS);
  const edge = new Date(firstWhole * MINUTE_MS).toISOString();
  const ids = JSON.stringify(agentIds ?? [EVERYONE]);
  const whole = prepared(
    db,
    `SELECT coalesce(sum(calls), 0) AS calls, coalesce(sum(tokens), 0) AS tokens,
            coalesce(sum(cost_usd), 0) AS cost_usd
       FROM usage_minutes WHERE agent_id IN (SELECT value FROM json_each(?)) AND minute >= ?`,
  ).get(ids, firstWhole) as unknown as UsageTotals;
  const partial = prepared(
    db,
    agentIds === undefined
      ? `SELECT count(*) AS calls, coalesce(sum(input_tokens + output_tokens), 0) AS tokens,
                coalesce(sum(cost_usd), 0) AS cost_usd
           FROM usage WHERE created_at >= ? AND created_at < ?`
      : `SELECT count(*) AS calls, coalesce(sum(input_tokens + output_tokens), 0) AS tokens,
                coalesce(sum(cost_usd), 0) AS cost_usd
           FROM usage WHERE created_at >= ? AND created_at < ?
            AND agent_id IN (SELECT value FROM json_each(?))`,
  ).get(...(agentIds === undefined ? [since, edge] : [since, edge, ids])) as unknown as UsageTotals;
  return {
    calls: whole.calls + partial.calls,
    tokens: whole.tokens + partial.tokens,
    cost_usd: whole.cost_usd + partial.cost_usd,
  };
}

/** Caps as stored: a JSON object of numbers. */
export type StoredCaps = Record<string, number>;

/** The caps an admin set for one agent (empty when none). */
export function getAgentBudget(db: Database, agentId: string): StoredCaps {
  const row = prepared(db, "SELECT budget FROM agents WHERE id = ?").get(agentId) as
    | { budget: string }
    | undefined;
  return row ? JSON.parse(row.budget) as StoredCaps : {};
}

/** Replaces the caps an admin set for one agent. */
export function setAgentBudget(db: Database, agentId: string, caps: StoredCaps): void {
  prepared(db, "UPDATE agents SET budget = ?, updated_at = ? WHERE id = ?")
    .run(JSON.stringify(caps), nowIso(), agentId);
}

/** The global caps an admin set (empty when none). */
export function getGlobalBudget(db: Database): StoredCaps {
  const row = prepared(db, "SELECT caps FROM global_budget WHERE id = 1").get() as
    | { caps: string }
    | undefined;
  return row ? JSON.parse(row.caps) as StoredCaps : {};
}

/** Replaces the global caps an admin set. */
export function setGlobalBudget(db: Database, caps: StoredCaps): void {
  prepared(
    db,
    `INSERT INTO global_budget (id, caps, updated_at) VALUES (1, ?, ?)
     ON CONFLICT (id) DO UPDATE SET caps = excluded.caps, updated_at = excluded.updated_at`,
  ).run(JSON.stringify(caps), nowIso());
}

/** The chain of ancestors of an agent, nearest first. */
export function ancestorIds(db: Database, agentId: string): string[] {
  const rows = prepared(
    db,
    `WITH RECURSIVE up(id, depth) AS (
       SELECT parent_id, 1 FROM agents WHERE id = ? AND parent_id IS NOT NULL
       UNION ALL
       SELECT a.parent_id, up.depth + 1 FROM agents a JOIN up ON a.id = up.id
        WHERE a.parent_id IS NOT NULL
     )
     SELECT id FROM up ORDER BY depth`,
  ).all(agentId) as { id: string }[];
  return rows.map((r) => r.id);
}

/** One group of usage rows. */
export interface UsageGroupRow {
  key: string;
  /** The agent's name for `agent` groups (null once purged). */
  name: string | null;
  calls: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

const GROUP_KEYS = {
  agent: "u.agent_id",
  model: "u.model",
  day: "substr(u.created_at, 1, 10)",
} as const;

/**
 * Usage since `since` (ISO time), summed per agent, model or UTC day (newest
 * day first, else biggest cost first); only `agentId`'s rows when given.
 */
export function usageGrouped(
  db: Database,
  options: { group: keyof typeof GROUP_KEYS; since: string; limit: number; agentId?: string },
): UsageGroupRow[] {
  const key = GROUP_KEYS[options.group];
  const order = options.group === "day" ? "key DESC" : "cost_usd DESC, key";
  const filter = options.agentId === undefined ? "" : " AND u.agent_id = ?";
  const params = options.agentId === undefined
    ? [options.since, options.limit]
    : [options.since, options.agentId, options.limit];
  return prepared(
    db,
    `SELECT ${key} AS key,
            ${options.group === "agent" ? "max(a.name)" : "NULL"} AS name,
            count(*) AS calls,
            sum(u.input_tokens) AS input_tokens,
            sum(u.output_tokens) AS output_tokens,
            sum(u.cost_usd) AS cost_usd
       FROM usage u LEFT JOIN agents a ON a.id = u.agent_id
      WHERE u.created_at >= ?${filter}
      GROUP BY key ORDER BY ${order} LIMIT ?`,
  ).all(...params) as unknown as UsageGroupRow[];
}
