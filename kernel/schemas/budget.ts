/**
 * Budgets and metering: caps and reports of spend and usage (budget_patch.ts
 * has the changes to caps).
 *
 * @module
 */
import { z } from "zod";
import { AgentState } from "./agent.ts";

/** Per-agent caps, as reports show them; absent means unlimited. */
export const AgentCaps = z.object({
  tokens_per_hour: z.number().optional(),
  usd_per_day: z.number().optional(),
  tool_calls_per_minute: z.number().optional(),
});
/** Per-agent caps. */
export type AgentCaps = z.infer<typeof AgentCaps>;

/** Global caps, as reports show them; absent means unlimited. */
export const GlobalCaps = z.object({
  usd_per_hour: z.number().optional(),
  usd_per_day: z.number().optional(),
  usd_per_month: z.number().optional(),
});
/** Global caps. */
export type GlobalCaps = z.infer<typeof GlobalCaps>;

/** One agent's caps and what it (with its children) used against them. */
export const AgentBudgetView = z.object({
  agent_id: z.string(),
  name: z.string(),
  state: AgentState,
  caps: AgentCaps,
  used: z.object({
    tokens_last_hour: z.number(),
    usd_last_day: z.number(),
    tool_calls_last_minute: z.number(),
  }),
});
/** One agent's budget. */
export type AgentBudgetView = z.infer<typeof AgentBudgetView>;

/** `GET /api/budget`: global caps and spend, and every live agent's budget. */
export const BudgetReport = z.object({
  global: z.object({
    caps: GlobalCaps,
    spent: z.object({
      usd_last_hour: z.number(),
      usd_last_day: z.number(),
      usd_this_month: z.number(),
    }),
  }),
  agents: z.array(AgentBudgetView),
});
/** A budget report. */
export type BudgetReport = z.infer<typeof BudgetReport>;

/** Query of `GET /api/budget`: one agent, or every live agent. */
export const BudgetQuery = z.strictObject({
  agent: z.string().min(1).max(100).optional(),
});

/**
 * Query of `GET /api/usage`: sums per agent, model or UTC day since a time
 * (default 30 days), for every agent or the one `agent` names (id or name).
 */
export const UsageQuery = z.strictObject({
  group: z.enum(["agent", "model", "day"]).default("agent"),
  since: z.iso.datetime({ offset: true }).optional(),
  agent: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
/** Usage report options. */
export type UsageQuery = z.infer<typeof UsageQuery>;

/** `GET /api/usage` response. */
export const UsageReport = z.object({
  group: z.enum(["agent", "model", "day"]),
  since: z.string(),
  /** The agent's id when the query named one. */
  agent_id: z.string().optional(),
  rows: z.array(z.object({
    key: z.string(),
    name: z.string().nullable(),
    calls: z.number().int(),
    input_tokens: z.number().int(),
    output_tokens: z.number().int(),
    cost_usd: z.number(),
  })),
});
/** A usage report. */
export type UsageReport = z.infer<typeof UsageReport>;
