/**
 * The findings of `talon security audit`, worked out from a description of
 * the running setup (gathered by the kernel). Pure: every dangerous setup the
 * issue names is a rule here, so each one is testable on its own.
 *
 * Dangerous (the command exits non-zero):
 * - `open_bind`: bound beyond loopback with no active API token;
 * - `shell_and_net_ungated`: an agent can run `shell_exec` unattended while
 *   holding `net_connect:*`;
 * - `wide_caps_ungated`: `max_capabilities` grants more than the defaults and
 *   a tool needing the extra runs without an approval gate;
 * - `files_readable`: the data dir, database or audit anchors can be read by
 *   other users.
 *
 * Warnings: permissions wider than the start task's, private hosts let
 * through the SSRF guard, MCP servers flagged for injection.
 *
 * @module
 */
import type { SecurityFinding, SecurityPosture } from "../types.ts";

/** The posture before its findings are worked out. */
export type PostureFacts = Omit<SecurityPosture, "findings" | "dangerous">;

/** Extra facts the rules need that the report does not print. */
export interface PostureContext {
  /** Tools that need a capability beyond the defaults and run without approval. */
  ungatedBeyondDefaults: string[];
  /** `[tools.web] allow_hosts`. */
  ssrfAllowHosts: string[];
}

/** Adds findings (and the `dangerous` verdict) to `facts`. */
export function assessPosture(facts: PostureFacts, context: PostureContext): SecurityPosture {
  const findings: SecurityFinding[] = [];
  const { server } = facts;
  if (!server.loopback && server.tokens.active === 0) {
    findings.push({
      severity: "danger",
      code: "open_bind",
      message: `the server binds ${server.host}, beyond loopback, and no API token exists`,
      fix: "create an admin token (`talon token create --role admin`) or bind to 127.0.0.1",
    });
  }
  for (const agent of facts.agents) {
    const shell = agent.sinks.find((s) => s.tool === "shell_exec");
    if (shell && shell.gated_by === null && agent.capabilities.includes("net_connect:*")) {
      findings.push({
        severity: "danger",
        code: "shell_and_net_ungated",
        message:
          `agent "${agent.name}" holds shell_exec and net_connect:* and its shell_exec calls run without approval`,
        fix:
          `remove "shell_exec" from [approvals] auto_approve (or add it to the agent's require_approval), or narrow net_connect to the hosts it needs`,
      });
    }
  }
  if (
    facts.max_capabilities.beyond_defaults.length > 0 && context.ungatedBeyondDefaults.length > 0
  ) {
    findings.push({
      severity: "danger",
      code: "wide_caps_ungated",
      message: `max_capabilities adds ${
        facts.max_capabilities.beyond_defaults.join(", ")
      } beyond the defaults, and ${context.ungatedBeyondDefaults.join(", ")} run without approval`,
      fix:
        `gate those tools with [approvals] require (or require_risk), or drop the extra capabilities from max_capabilities`,
    });
  }
  const readable = facts.files.filter((f) => f.others_can_access);
  if (readable.length > 0) {
    findings.push({
      severity: "danger",
      code: "files_readable",
      message: `other users can access ${readable.map((f) => `${f.path} (${f.mode})`).join(", ")}`,
      fix: `chmod 700 the data dir and 600 the files in it: ${
        readable.map((f) => f.path).join(" ")
      }`,
    });
  }
  const unscoped = (facts.permissions ?? []).filter((p) => p.unscoped);
  if (unscoped.length > 0) {
    findings.push({
      severity: "warning",
      code: "wide_permissions",
      message: `the server runs with unscoped --allow-${
        unscoped.map((p) => p.name).join(", --allow-")
      }`,
      fix:
        "start it with `deno task start` (scoped permissions), or scope each flag to what it needs",
    });
  }
  if (context.ssrfAllowHosts.length > 0) {
    findings.push({
      severity: "warning",
      code: "ssrf_allow_hosts",
      message: `the SSRF guard lets tools reach these private hosts: ${
        context.ssrfAllowHosts.join(", ")
      }`,
      fix: "remove hosts from [tools.web] allow_hosts that agents do not need",
    });
  }
  for (const server of facts.mcp_servers.filter((s) => s.flagged.length > 0 && !s.allowed)) {
    findings.push({
      severity: "warning",
      code: "mcp_flagged",
      message: `MCP server "${server.name}" is flagged for injection (${
        server.flagged.join(", ")
      }); its tools are refused`,
      fix:
        `read its tool descriptions; \`talon mcp-server allow ${server.name}\` only if they are safe`,
    });
  }
  return { ...facts, findings, dangerous: findings.some((f) => f.severity === "danger") };
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\./.test(host);
}
