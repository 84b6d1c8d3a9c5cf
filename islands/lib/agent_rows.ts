/**
 * Rows of the `/agents` table, built the same way on the server (from the
 * kernel) and in the AgentList island (from `GET /api/agents` and
 * `GET /api/budget`), and the list's query string. Browser-safe.
 *
 * @module
 */
import type { AgentBudgetView, AgentView } from "../../kernel/types.ts";

/** One agent as the table shows it. */
export interface AgentRow {
  id: string;
  name: string;
  description: string;
  state: string;
  provider: string;
  model: string;
  /** USD spent in the last 24 hours (with its children); null when not known (killed). */
  spend_usd: number | null;
  /** The agent's daily USD cap, if any. */
  cap_usd: number | null;
  last_active_at: string | null;
}

/** The table row of `agent`, with its budget when known. */
export function agentRowOf(agent: AgentView, budget: AgentBudgetView | undefined): AgentRow {
  return {
    id: agent.id,
    name: agent.name,
    description: agent.description,
    state: agent.state,
    provider: agent.provider,
    model: agent.model,
    spend_usd: budget?.used.usd_last_day ?? null,
    cap_usd: budget?.caps.usd_per_day ?? null,
    last_active_at: agent.last_active_at,
  };
}

/** The list's filter and page. */
export interface AgentListFilter {
  q: string;
  state: string;
  limit: number;
  before: string;
}

/** Default page size of the `/agents` table. */
export const AGENT_PAGE_SIZE = 25;

/** The query string of `filter` (defaults left out), with a leading `?` when not empty. */
export function agentListSearch(filter: AgentListFilter): string {
  const params = new URLSearchParams();
  if (filter.q !== "") params.set("q", filter.q);
  if (filter.state !== "") params.set("state", filter.state);
  if (filter.limit !== AGENT_PAGE_SIZE) params.set("limit", String(filter.limit));
  if (filter.before !== "") params.set("before", filter.before);
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}
