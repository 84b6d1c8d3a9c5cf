/**
 * Gathers what `talon security audit` reports: the defences that are on or
 * off, who can reach which high-risk tools unattended, the bind address and
 * tokens, MCP servers and Hands, the serving process's permissions and the
 * data dir's file modes. {@link assessPosture} turns it into findings.
 *
 * @module
 */
import { join } from "node:path";
import { DATA_FILES } from "./data_dir.ts";
import type { Kernel } from "./kernel.ts";
import { approvalGateOf } from "./scheduler/mod.ts";
import {
  assessPosture,
  capabilityCovers,
  isLoopback,
  missingCapabilities,
} from "./security/mod.ts";
import type { Tool } from "./tools/mod.ts";
import {
  type AgentView,
  DEFAULT_MAX_CAPABILITIES,
  type SecurityPosture,
  type SinkReach,
} from "./types.ts";

/** Permissions the start task scopes; granted unscoped they are wider than needed. */
const SCOPED_BY_START = ["read", "write", "run", "env", "ffi", "sys"] as const;

/**
 * Files whose modes are checked besides the data dir itself (which keeps
 * everything else in it from other users while it is 0700).
 */
const CHECKED_FILES = [
  DATA_FILES.database,
  `${DATA_FILES.database}-wal`,
  `${DATA_FILES.database}-shm`,
];

/**
 * The security posture of `kernel`. `source: "server"` also reports this
 * process's Deno permissions (meaningful for `serve`, not for a CLI run).
 */
export async function securityPosture(
  kernel: Kernel,
  options: { source: "server" | "local" },
): Promise<SecurityPosture> {
  const { config } = kernel;
  const tokens = kernel.tokens.list().filter((t) => t.revoked_at === null);
  const count = (role: string) => tokens.filter((t) => t.role === role).length;
  const beyond = config.max_capabilities.filter((c) =>
    !DEFAULT_MAX_CAPABILITIES.some((d) => capabilityCovers(d, c))
  );
  const agents = kernel.agents.list().filter((a) => a.state !== "killed");
  const mcp = kernel.mcp.list();
  return assessPosture({
    generated_at: new Date(kernel.clock.now()).toISOString(),
    source: options.source,
    layers: [
      {
        name: "bind",
        on: isLoopback(config.server.host),
        detail: `${config.server.host}:${config.server.port}`,
      },
      { name: "api tokens", on: tokens.length > 0, detail: `${tokens.length} active` },
      {
        name: "approval gates",
        on: true,
        detail: `require: ${config.approvals.require.join(", ") || "none"}; require_risk: ${
          config.approvals.require_risk ?? "none"
        }; auto_approve: ${config.approvals.auto_approve.join(", ") || "none"}`,
      },
      {
        name: "ssrf guard",
        on: true,
        detail: config.tools.web.allow_hosts.length === 0
          ? "private, loopback and metadata addresses refused"
          : `private hosts let through: ${config.tools.web.allow_hosts.join(", ")}`,
      },
      {
        name: "rate limits",
        on: true,
        detail:
          `${config.http.rate_limit.requests_per_minute}/min per token, ${config.http.rate_limit.login_per_minute}/min logins`,
      },
      {
        name: "audit anchors",
        on: true,
        detail: `every ${config.audit.anchor_interval_ms} ms to ${DATA_FILES.auditAnchors}${
          config.audit.anchor_url ? ` and ${config.audit.anchor_url}` : ""
        }`,
      },
      {
        name: "sandbox",
        on: true,
        detail:
          `${config.sandbox.workers} workers, ${config.sandbox.timeout_ms} ms, fuel ${config.sandbox.fuel}`,
      },
      { name: "secret redaction", on: true, detail: "key shapes and configured secret values" },
    ],
    server: {
      host: config.server.host,
      port: config.server.port,
      loopback: isLoopback(config.server.host),
      tokens: {
        active: tokens.length,
        admin: count("admin"),
        operator: count("operator"),
        viewer: count("viewer"),
      },
    },
    max_capabilities: { granted: [...config.max_capabilities], beyond_defaults: beyond },
    agents: agents.map((a) => ({
      id: a.id,
      name: a.name,
      state: a.state,
      capabilities: [...a.capabilities],
      sinks: sinksOf(kernel, a),
    })),
    mcp_servers: mcp.map((s) => ({
      name: s.name,
      transport: s.config.transport,
      status: s.status,
      allowed: s.allowed,
      flagged: [...s.flagged],
    })),
    hands: kernel.hands.instances().map((h) => ({
      name: h.name,
      hand_id: h.hand_id,
      state: h.state,
    })),
    permissions: options.source === "server" ? await permissions() : null,
    files: await fileModes(kernel.dataDir),
  }, {
    ungatedBeyondDefaults: ungatedBeyondDefaults(kernel, beyond),
    ssrfAllowHosts: [...config.tools.web.allow_hosts],
  });
}

/** Whether `agent` holds what `tool` needs (URL-dependent tools: any net_connect grant). */
function canReach(agent: AgentView, tool: Tool): boolean {
  if (typeof tool.capabilities === "function") {
    return agent.capabilities.some((c) => c.startsWith("net_connect:"));
  }
  return missingCapabilities(agent.capabilities, tool.capabilities).length === 0;
}

/** The medium- and high-risk tools `agent` can call, each with the rule gating it. */
function sinksOf(kernel: Kernel, agent: AgentView): SinkReach[] {
  return kernel.tools.allowedFor(agent)
    .filter((t) => t.risk !== "low" && canReach(agent, t))
    .map((t) => ({
      tool: t.name,
      risk: t.risk,
      gated_by: approvalGateOf(kernel.config.approvals, agent, {
        name: t.name,
        risk: t.risk,
        needsApproval: t.needsApproval,
      })?.rule ?? null,
    }));
}

/** Tools needing one of `beyond` that a plain agent's calls run without approval. */
function ungatedBeyondDefaults(kernel: Kernel, beyond: string[]): string[] {
  if (beyond.length === 0) return [];
  const plain = { manifest: {} } as Pick<AgentView, "manifest">;
  return kernel.tools.list()
    .filter((t) =>
      typeof t.capabilities !== "function" &&
      t.capabilities.some((need) => beyond.some((b) => capabilityCovers(b, need)))
    )
    .filter((t) =>
      approvalGateOf(kernel.config.approvals, plain, {
        name: t.name,
        risk: t.risk,
        needsApproval: t.needsApproval,
      }) === undefined
    )
    .map((t) => t.name)
    .sort();
}

async function permissions(): Promise<NonNullable<SecurityPosture["permissions"]>> {
  const out: NonNullable<SecurityPosture["permissions"]> = [];
  for (const name of SCOPED_BY_START) {
    const { state } = await Deno.permissions.query({ name });
    out.push({ name, state, unscoped: state === "granted" });
  }
  const net = await Deno.permissions.query({ name: "net" });
  out.push({ name: "net", state: net.state, unscoped: false });
  return out;
}

async function fileModes(dataDir: string): Promise<SecurityPosture["files"]> {
  const out: SecurityPosture["files"] = [];
  for (const path of [dataDir, ...CHECKED_FILES.map((f) => join(dataDir, f))]) {
    let mode: number | null;
    try {
      mode = (await Deno.stat(path)).mode;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      throw error;
    }
    out.push({
      path,
      mode: mode === null ? null : `0${(mode & 0o777).toString(8).padStart(3, "0")}`,
      others_can_access: mode !== null && (mode & 0o077) !== 0,
    });
  }
  return out;
}
