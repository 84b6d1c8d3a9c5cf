/**
 * `talon security audit` / `GET /api/security/audit`: the posture of this
 * Talon — which defences are on, who can reach which high-risk tools, what is
 * exposed — and findings, the dangerous ones making the command exit non-zero.
 *
 * @module
 */
import { z } from "zod";

/** One thing the audit found: `danger` fails the command, `warning` does not. */
export const SecurityFinding = z.object({
  severity: z.enum(["danger", "warning"]),
  /** Stable id of the check, e.g. `open_bind`, `shell_and_net_ungated`. */
  code: z.string(),
  message: z.string(),
  /** What to change to clear it. */
  fix: z.string(),
});
/** A finding. */
export type SecurityFinding = z.infer<typeof SecurityFinding>;

/** A high-risk tool an agent can call, and whether a person approves each call. */
export const SinkReach = z.object({
  tool: z.string(),
  risk: z.enum(["low", "medium", "high"]),
  /** The approval rule that gates it, or null when calls run unattended. */
  gated_by: z.string().nullable(),
});
/** A reachable sink. */
export type SinkReach = z.infer<typeof SinkReach>;

/** The posture report. */
export const SecurityPosture = z.object({
  generated_at: z.string(),
  /** `server` when a running server answered, `local` when computed in-process. */
  source: z.enum(["server", "local"]),
  layers: z.array(z.object({ name: z.string(), on: z.boolean(), detail: z.string() })),
  server: z.object({
    host: z.string(),
    port: z.number().int(),
    loopback: z.boolean(),
    tokens: z.object({
      active: z.number().int().nonnegative(),
      admin: z.number().int().nonnegative(),
      operator: z.number().int().nonnegative(),
      viewer: z.number().int().nonnegative(),
    }),
  }),
  max_capabilities: z.object({
    granted: z.array(z.string()),
    /** Entries beyond the defaults. */
    beyond_defaults: z.array(z.string()),
  }),
  agents: z.array(z.object({
    id: z.string(),
    name: z.string(),
    state: z.string(),
    capabilities: z.array(z.string()),
    sinks: z.array(SinkReach),
  })),
  mcp_servers: z.array(z.object({
    name: z.string(),
    transport: z.string(),
    status: z.string(),
    allowed: z.boolean(),
    flagged: z.array(z.string()),
  })),
  hands: z.array(z.object({ name: z.string(), hand_id: z.string(), state: z.string() })),
  /** The serving process's Deno permissions (null when computed in-process by the CLI). */
  permissions: z.array(z.object({
    name: z.string(),
    state: z.string(),
    /** True when granted without a scope where the start task scopes it. */
    unscoped: z.boolean(),
  })).nullable(),
  files: z.array(z.object({
    path: z.string(),
    /** Octal mode, e.g. "0600"; null where the platform has none. */
    mode: z.string().nullable(),
    others_can_access: z.boolean(),
  })),
  findings: z.array(SecurityFinding),
  dangerous: z.boolean(),
});
/** The posture report. */
export type SecurityPosture = z.infer<typeof SecurityPosture>;
