/**
 * The kernel's read-only views over its subsystems: status, budgets, usage,
 * tool lists and tool history, memory figures. {@link Kernel} keeps thin
 * methods that call these.
 *
 * @module
 */
import type { Kernel } from "./kernel.ts";
import { parseInput } from "./memory/mod.ts";
import * as store from "./store/mod.ts";
import type {
  BudgetReport,
  KernelStatus,
  MemoryStats,
  ToolHistory,
  ToolView,
  UsageQuery,
  UsageReport,
} from "./types.ts";
import { ToolHistoryQuery } from "./types.ts";
import { VERSION } from "./version.ts";

/** Version, schema, data dir and agents by state, for `/api/status`. */
export function kernelStatus(kernel: Kernel): KernelStatus {
  return {
    version: VERSION,
    started_at: kernel.startedAt,
    schema_version: kernel.schemaVersion,
    data_dir: kernel.dataDir,
    agents: store.countAgentsByState(kernel.db),
    default_provider: kernel.providers.defaultProvider.name,
  };
}

/**
 * Global caps and spend, and the budgets of live agents (at most the
 * 10,000 newest) or of the one agent `ref` names.
 */
export function budgetReport(kernel: Kernel, ref?: string): BudgetReport {
  const agents = ref !== undefined
    ? [kernel.agents.get(ref)]
    : kernel.agents.list({ limit: 10_000 }).filter((a) => a.state !== "killed");
  return kernel.budget.report(agents);
}

/**
 * Metered usage since `query.since` (default: 30 days ago), summed per
 * agent, model or day; only `query.agent`'s (id or name) when given.
 */
export function usageReport(kernel: Kernel, query: UsageQuery): UsageReport {
  const since = new Date(
    query.since === undefined ? Date.now() - 30 * 86_400_000 : Date.parse(query.since),
  ).toISOString();
  const agentId = query.agent === undefined ? undefined : kernel.agents.get(query.agent).id;
  const rows = store.usageGrouped(kernel.db, {
    group: query.group,
    since,
    limit: query.limit,
    agentId,
  });
  return agentId === undefined
    ? { group: query.group, since, rows }
    : { group: query.group, since, agent_id: agentId, rows };
}

/** The agent's own tool calls from the audit log, and figures per tool. */
export function toolHistory(
  kernel: Kernel,
  options: { agentId: string; query: unknown },
): ToolHistory {
  const q = parseInput(ToolHistoryQuery, options.query, "query");
  return store.toolHistory(kernel.db, options.agentId, q);
}

/** Memory figures of the agent `ref` names, or of every agent that keeps memory. */
export function memoryStats(kernel: Kernel, ref?: string): MemoryStats {
  const agents = ref !== undefined
    ? [kernel.agents.get(ref)]
    : kernel.memory.agentsWithMemory().flatMap((id) => {
      try {
        return [kernel.agents.get(id)];
      } catch {
        return [];
      }
    });
  return kernel.memory.stats(agents);
}

/** Every registered tool (skill tools once their skill is loaded), for `/api/tools`. */
export function toolViews(kernel: Kernel): ToolView[] {
  kernel.skills.list();
  return kernel.tools.list().map((t) => ({
    name: t.name,
    description: t.description,
    risk: t.risk,
    capabilities: typeof t.capabilities === "function" ? null : [...t.capabilities],
    needs_approval: t.needsApproval,
    source: kernel.tools.isBuiltin(t.name)
      ? "builtin"
      : t.name.startsWith("mcp_")
      ? "mcp"
      : "skill",
    parameters: t.parameters,
  }));
}
