/**
 * What an agent is made from: names, capabilities, the manifest, and the
 * bodies that spawn and edit an agent (agent.ts has how agents are shown).
 * Written with `zod/mini` (see ./mini.ts): the spawn and edit forms' islands
 * check with these before they submit.
 *
 * @module
 */
import * as z from "zod/mini";
import "./mini.ts";
import { PLAIN_CAPABILITIES } from "../vocabulary.ts";
import { ManifestSchedule } from "./schedule_input.ts";

/** Agent names: slugs, unique among agents that are not killed. */
export const AGENT_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** A slug naming an agent. */
export const AgentName = z.string().check(z.regex(
  AGENT_NAME_PATTERN,
  "must be a slug: lowercase letters, digits, '-' or '_', starting with a letter or digit, at most 64 characters",
));

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
export const Capability = z.string().check(z.refine(isCapability, {
  message:
    "unknown capability; use one of file_read, file_write, net_connect:<host-pattern>, shell_exec, agent_spawn, agent_message, agent_kill, memory_read, memory_write, schedule_manage, browser_control, media_process, env_read:<KEY>, mcp:<server> (or mcp:*)",
}));
/** A capability string. */
export type Capability = z.infer<typeof Capability>;

/** Names of provider entries and tools: identifiers. */
const Identifier = z.string().check(z.regex(
  /^[a-z][a-z0-9_-]{0,63}$/,
  "must start with a lowercase letter and use only lowercase letters, digits, '-' or '_'",
));

const positiveInt = () => z.number().check(z.int(), z.positive());

/** Resource limits a manifest may set; they can only lower configured caps. */
export const AgentResources = z.strictObject({
  max_tokens_per_hour: z.optional(positiveInt()),
  max_cost_usd_per_day: z.optional(z.number().check(z.nonnegative())),
  max_tool_calls_per_minute: z.optional(positiveInt()),
  max_iterations: z.optional(positiveInt().check(z.lte(1000))),
});

const Description = z.string().check(z.maxLength(2000));
const Version = z.string().check(z.regex(
  /^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/,
  "must be a semantic version like 1.0.0",
));
const ModelName = z.string().check(z.minLength(1), z.maxLength(300));
const FallbackModels = z.array(ModelName).check(z.maxLength(8));
const SystemPrompt = z.string().check(z.maxLength(100_000));
const MaxTokens = positiveInt().check(z.lte(1_000_000));
const Temperature = z.number().check(z.gte(0), z.lte(2));
const Capabilities = z.array(Capability).check(z.maxLength(64));
const ToolNames = z.array(Identifier).check(z.maxLength(256));
const SkillNames = z.array(Identifier).check(z.maxLength(64));
const McpServers = z.array(Identifier).check(z.maxLength(32));
const Metadata = z.record(
  z.string().check(z.maxLength(64)),
  z.union([z.string().check(z.maxLength(2000)), z.number(), z.boolean()]),
);

/** A key id: the first 32 hex digits of the SHA-256 of the raw public key. */
export const KeyId = z.string().check(z.regex(/^[0-9a-f]{32}$/, "must be 32 hex digits"));

/** base64url of a 64-byte Ed25519 signature. */
export const SignatureText = z.string().check(z.regex(
  /^[A-Za-z0-9_-]{86}$/,
  "must be an Ed25519 signature in base64url (86 characters)",
));

/**
 * A manifest's `[signature]` block. It signs the canonical JSON (RFC 8785)
 * of `{type: "talon.manifest", key_id, manifest}` — `manifest` being the
 * manifest without this block, defaults applied — and the manifest's
 * `version` is the version number rollback protection compares.
 */
export const ManifestSignature = z.strictObject({
  key_id: KeyId,
  value: SignatureText,
});
/** A manifest's signature block. */
export type ManifestSignature = z.infer<typeof ManifestSignature>;

/**
 * An agent manifest, from `agent.toml`, JSON, a form or the CLI. `module`
 * parses, so stored agents keep loading, but nothing reads it yet: spawn and
 * edit refuse non-default values with `not_supported`
 * (kernel/agent/reserved_fields.ts). `mcp_servers` names configured MCP
 * servers whose tools the agent gets; `a2a = true` offers the agent over A2A.
 */
export const AgentManifest = z.strictObject({
  name: AgentName,
  description: z._default(Description, ""),
  version: z._default(Version, "0.1.0"),
  module: z._default(
    z.string().check(z.regex(/^builtin:[a-z_]+$/, "must be builtin:<name>")),
    "builtin:chat",
  ),
  provider: z.optional(Identifier),
  model: z.optional(ModelName),
  fallback_models: z._default(FallbackModels, []),
  system_prompt: z._default(SystemPrompt, "You are a helpful assistant."),
  max_tokens: z._default(MaxTokens, 4096),
  temperature: z.optional(Temperature),
  capabilities: z._default(Capabilities, []),
  tools: z.optional(ToolNames),
  /**
   * Tools whose every call waits for a person's approval, on top of the
   * config's `[approvals]` gates (which a manifest cannot remove).
   */
  require_approval: z.optional(ToolNames),
  skills: z._default(SkillNames, []),
  mcp_servers: z._default(McpServers, []),
  /** Offered to other agents over A2A (`/a2a/agents/<name>`); off by default. */
  a2a: z._default(z.boolean(), false),
  resources: z._default(AgentResources, {}),
  /** When the agent acts with nobody prompting it; reconciled to one schedule row. */
  schedule: z.optional(ManifestSchedule),
  metadata: z._default(Metadata, {}),
  /** Signed manifests (kernel/security/manifest_signing.ts); checked and removed at spawn. */
  signature: z.optional(ManifestSignature),
});
/** A validated manifest, defaults applied. */
export type AgentManifest = z.infer<typeof AgentManifest>;
/** What callers may send: defaults not yet applied. */
export type AgentManifestInput = z.input<typeof AgentManifest>;

/** Body of `POST /api/agents`: a manifest plus an optional parent. */
export const SpawnAgentBody = z.extend(AgentManifest, {
  parent: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
});
/** A spawn request body. */
export type SpawnAgentBody = z.input<typeof SpawnAgentBody>;

/**
 * Body of `PATCH /api/agents/{id}`: the manifest fields to change. The name
 * is the agent's identity and cannot change; `version` can only go up.
 */
export const AgentPatch = z.strictObject({
  description: z.optional(Description),
  version: z.optional(Version),
  provider: z.optional(Identifier),
  model: z.optional(ModelName),
  fallback_models: z.optional(FallbackModels),
  system_prompt: z.optional(SystemPrompt),
  max_tokens: z.optional(MaxTokens),
  temperature: z.optional(z.nullable(Temperature)),
  capabilities: z.optional(Capabilities),
  tools: z.optional(z.nullable(ToolNames)),
  require_approval: z.optional(z.nullable(ToolNames)),
  skills: z.optional(SkillNames),
  mcp_servers: z.optional(McpServers),
  a2a: z.optional(z.boolean()),
  resources: z.optional(AgentResources),
  /** `null` removes the agent's [schedule] (and its schedule row). */
  schedule: z.optional(z.nullable(ManifestSchedule)),
  metadata: z.optional(Metadata),
  /** A signed edit (kernel/security/manifest_signing.ts); checked and removed before it applies. */
  signature: z.optional(ManifestSignature),
}).check(z.refine((patch) => Object.keys(patch).length > 0, {
  message: "send at least one field to change",
}));
/**
 * An agent edit; `null` clears `temperature`, `tools` or `require_approval`
 * (back to the defaults).
 */
export type AgentPatch = z.infer<typeof AgentPatch>;
