/**
 * Which tool calls wait for a person. In order: the agent manifest's
 * `require_approval` and the config's `approvals.require` always gate;
 * otherwise `approvals.auto_approve` lets a tool through; otherwise the
 * tool's own default (`shell_exec`) and `approvals.require_risk` gate. A
 * manifest can therefore add gates but never remove the config's.
 *
 * @module
 */
import type { ApprovalsConfig } from "../types.ts";
import type { AgentView, ApprovalGate } from "../types.ts";

/** Tool risk levels, least to most harmful. */
const RISK_ORDER = ["low", "medium", "high"] as const;

/** What the policy needs to know of a tool. */
export interface GatedTool {
  name: string;
  risk: "low" | "medium" | "high";
  /** The tool's own default gate. */
  needsApproval: boolean;
}

/** Which rule makes `agent`'s calls to `tool` wait, or undefined when none does. */
export function approvalGateOf(
  config: ApprovalsConfig,
  agent: Pick<AgentView, "manifest">,
  tool: GatedTool,
): { gate: ApprovalGate; rule: string } | undefined {
  if (agent.manifest.require_approval?.includes(tool.name)) {
    return { gate: "manifest", rule: `the agent's require_approval names "${tool.name}"` };
  }
  if (config.require.includes(tool.name)) {
    return { gate: "config", rule: `approvals.require names "${tool.name}"` };
  }
  if (config.auto_approve.includes(tool.name)) return undefined;
  if (tool.needsApproval) {
    return {
      gate: "tool",
      rule: `"${tool.name}" always needs approval unless auto_approve names it`,
    };
  }
  const threshold = config.require_risk;
  if (threshold !== undefined && RISK_ORDER.indexOf(tool.risk) >= RISK_ORDER.indexOf(threshold)) {
    return {
      gate: "risk",
      rule: `"${tool.name}" is ${tool.risk} risk and approvals.require_risk is "${threshold}"`,
    };
  }
  return undefined;
}
