/**
 * Agents: names, capabilities, lifecycle states, manifests and how the API shows them.
 *
 * @module
 */
import { z } from "zod";
import { PLAIN_CAPABILITIES } from "../vocabulary.ts";
import { PageQuery } from "./common.ts";
import { ManifestSchedule } from "./schedule.ts";

/** Agent names: slugs, unique among agents that are not killed. */
export const AGENT_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** A slug naming an agent. */
export const AgentName = z.string().regex(
  AGENT_NAME_PATTERN,
  "must be a slug: lowercase letters, digits, '-' or '_', starting with a letter or digit, at most 64 characters",
);

export { PLAIN_CAPABILITIES };

/** Capabilities written `<kind>:<parameter>`. */
export const PARAMETERIZED_CAPABILITIES = ["net_connect", "env_read", "mcp"] as const;

const HOST_PATTERN =
  /^(\*|(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)(:\d{1,5})?$/;
const ENV_KEY_PATTERN = /^(\*|[A-Za-z_][A-Za-z0-9_]*)$/;
/** `mcp:<server>` or `mcp:*` (server names as kernel/schemas/mcp.ts defines them). */
const MCP_PARAM_PATTERN = /^(\*|[a-z][a-z0-9_]{0,23})$/;

/** True when `value` is a capability in Talon's vocabulary. */
export function isCapability(value: string): boolean {
  if ((PLAIN_CAPABILITIES as readonly string[]).includes(value)) return true;
  const colon = value.indexOf(":");
  if (colon < 0) return false;
  const kind = value.slice(0, colon);
  const param = value.slice(colon + 1);
  if (kind === "net_connect") return HOST_PATTERN.test(param);
  if (kind === "env_read") return ENV_KEY_PATTERN.test(param);
  if (kind === "mcp") return MCP_PARAM_PATTERN.test(param);
  return false;
}

/** One capability string, e.g. `file_read` or `net_connect:*.example.com`. */
export const Capability = z.string().refine(isCapability, {
  message:
    "unknown capability; use one of file_read, file_write, net_connect:<host-pattern>, shell_exec, agent_spawn, agent_message, agent_kill, memory_read, memory_write, schedule_manage, browser_control, env_read:<KEY>, mcp:<server> (or mcp:*)",
});
/** A capability string. */
export type Capability = z.infer<typeof Capability>;

/** Lifecycle states of an agent. */
export const AgentState = z.enum([
  "created",
  "running",
  "paused",
  "suspended",
  "killed",
]);
/** A lifecycle state. */
export type AgentState = z.infer<typeof AgentState>;

/** Names of provider entries and tools: identifiers. */
const Identifier = z.string().regex(
  /^[a-z][a-z0-9_-]{0,63}$/,
  "must start with a lowercase letter and use only lowercase letters, digits, '-' or '_'",
);

/** Resource limits a manifest may set; they can only lower configured caps. */
export const AgentResources = z.strictObject({
  max_tokens_per_hour: z.number().int().positive().optional(),
  max_cost_usd_per_day: z.number().nonnegative().optional(),
  max_tool_calls_per_minute: z.number().int().positive().optional(),
  max_iterations: z.number().int().positive().max(1000).optional(),
});

/**
 * An agent manifest, from `agent.toml`, JSON, a form or the CLI. `module`
 * (and the capability `browser_control`) parse, so stored agents keep
 * loading, but nothing reads them yet: spawn and edit refuse non-default
 * values with `not_supported` (kernel/agent/reserved_fields.ts).
 * `mcp_servers` names configured MCP servers whose tools the agent gets.
 */
export const AgentManifest = z.strictObject({
  name: AgentName,
  description: z.string().max(2000).default(""),
  version: z.string().regex(
    /^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/,
    "must be a semantic version like 1.0.0",
  ).default("0.1.0"),
  module: z.string().regex(/^builtin:[a-z_]+$/, "must be builtin:<name>")
    .default("builtin:chat"),
  provider: Identifier.optional(),
  model: z.string().min(1).max(300).optional(),
  fallback_models: z.array(z.string().min(1).max(300)).max(8).default([]),
  system_prompt: z.string().max(100_000).default(
    "You are a helpful assistant.",
  ),
  max_tokens: z.number().int().positive().max(1_000_000).default(4096),
  temperature: z.number().min(0).max(2).optional(),
  capabilities: z.array(Capability).max(64).default([]),
  tools: z.array(Identifier).max(256).optional(),
  /**
   * Tools whose every call waits for a person's approval, on top of the
   * config's `[approvals]` gates (which a manifest cannot remove).
   */
  require_approval: z.array(Identifier).max(256).optional(),
  skills: z.array(Identifier).max(64).default([]),
  mcp_servers: z.array(Identifier).max(32).default([]),
  resources: AgentResources.default({}),
  /** When the agent acts with nobody prompting it; reconciled to one schedule row. */
  schedule: ManifestSchedule.optional(),
  metadata: z.record(
    z.string().max(64),
    z.union([z.string().max(2000), z.number(), z.boolean()]),
  ).default({}),
});
/** A validated manifest, defaults applied. */
export type AgentManifest = z.infer<typeof AgentManifest>;
/** What callers may send: defaults not yet applied. */
export type AgentManifestInput = z.input<typeof AgentManifest>;

/** Body of `POST /api/agents`: a manifest plus an optional parent. */
export const SpawnAgentBody = AgentManifest.extend({
  parent: z.string().min(1).max(100).optional(),
});
/** A spawn request body. */
export type SpawnAgentBody = z.input<typeof SpawnAgentBody>;

/**
 * Body of `PATCH /api/agents/{id}`: the manifest fields to change. The name
 * is the agent's identity and cannot change; `version` can only go up.
 */
export const AgentPatch = z.strictObject({
  description: z.string().max(2000).optional(),
  version: AgentManifest.shape.version.unwrap().optional(),
  provider: Identifier.optional(),
  model: z.string().min(1).max(300).optional(),
  fallback_models: z.array(z.string().min(1).max(300)).max(8).optional(),
  system_prompt: z.string().max(100_000).optional(),
  max_tokens: z.number().int().positive().max(1_000_000).optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  capabilities: z.array(Capability).max(64).optional(),
  tools: z.array(Identifier).max(256).nullable().optional(),
  require_approval: z.array(Identifier).max(256).nullable().optional(),
  skills: z.array(Identifier).max(64).optional(),
  mcp_servers: z.array(Identifier).max(32).optional(),
  resources: AgentResources.optional(),
  /** `null` removes the agent's [schedule] (and its schedule row). */
  schedule: ManifestSchedule.nullable().optional(),
  metadata: AgentManifest.shape.metadata.unwrap().optional(),
}).refine((patch) => Object.keys(patch).length > 0, {
  message: "send at least one field to change",
});
/**
 * An agent edit; `null` clears `temperature`, `tools` or `require_approval`
 * (back to the defaults).
 */
export type AgentPatch = z.infer<typeof AgentPatch>;

/** An agent as the API, CLI and dashboard see it. */
export const AgentView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  state: AgentState,
  parent_id: z.string().nullable(),
  provider: z.string(),
  model: z.string(),
  capabilities: z.array(z.string()),
  created_at: z.string(),
  updated_at: z.string(),
  last_active_at: z.string().nullable(),
  manifest: AgentManifest,
});
/** An agent record. */
export type AgentView = z.infer<typeof AgentView>;

/** Query of `GET /api/agents`. */
export const AgentListQuery = PageQuery.extend({
  state: AgentState.optional(),
  /** Text to find in names and descriptions (case-insensitive). */
  q: z.string().trim().max(200).optional(),
});
/** Agent list options. */
export type AgentListQuery = z.infer<typeof AgentListQuery>;

/** `GET /api/status`. */
export const KernelStatus = z.object({
  version: z.string(),
  started_at: z.string(),
  schema_version: z.number().int(),
  data_dir: z.string(),
  agents: z.record(AgentState, z.number().int()),
  default_provider: z.string(),
});
/** Kernel status. */
export type KernelStatus = z.infer<typeof KernelStatus>;

/** `GET /api/health` response: liveness, no internals. */
export const HealthStatus = z.object({ status: z.literal("ok") });
/** Liveness. */
export type HealthStatus = z.infer<typeof HealthStatus>;

/** `GET /api/agents` response. */
export const AgentList = z.object({ agents: z.array(AgentView) });
/** A page of agents. */
export type AgentList = z.infer<typeof AgentList>;

/** `POST /api/agents/purge` response. */
export const PurgeResult = z.object({ purged: z.number().int() });
/** How many killed agents were removed. */
export type PurgeResult = z.infer<typeof PurgeResult>;
