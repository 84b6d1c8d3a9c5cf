/**
 * Wire shapes shared by the kernel, routes, islands and the CLI: one zod
 * schema per shape, types inferred from it. Browser-safe: imports only zod.
 *
 * @module
 */
import { z } from "zod";

/** Agent names: slugs, unique among agents that are not killed. */
export const AGENT_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** A slug naming an agent. */
export const AgentName = z.string().regex(
  AGENT_NAME_PATTERN,
  "must be a slug: lowercase letters, digits, '-' or '_', starting with a letter or digit, at most 64 characters",
);

/** Capabilities that take no parameter. */
export const PLAIN_CAPABILITIES = [
  "file_read",
  "file_write",
  "shell_exec",
  "agent_spawn",
  "agent_message",
  "agent_kill",
  "memory_read",
  "memory_write",
  "schedule_manage",
  "browser_control",
] as const;

/** Capabilities written `<kind>:<parameter>`. */
export const PARAMETERIZED_CAPABILITIES = ["net_connect", "env_read"] as const;

const HOST_PATTERN =
  /^(\*|(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)(:\d{1,5})?$/;
const ENV_KEY_PATTERN = /^(\*|[A-Za-z_][A-Za-z0-9_]*)$/;

/** True when `value` is a capability in Talon's vocabulary. */
export function isCapability(value: string): boolean {
  if ((PLAIN_CAPABILITIES as readonly string[]).includes(value)) return true;
  const colon = value.indexOf(":");
  if (colon < 0) return false;
  const kind = value.slice(0, colon);
  const param = value.slice(colon + 1);
  if (kind === "net_connect") return HOST_PATTERN.test(param);
  if (kind === "env_read") return ENV_KEY_PATTERN.test(param);
  return false;
}

/** One capability string, e.g. `file_read` or `net_connect:*.example.com`. */
export const Capability = z.string().refine(isCapability, {
  message:
    "unknown capability; use one of file_read, file_write, net_connect:<host-pattern>, shell_exec, agent_spawn, agent_message, agent_kill, memory_read, memory_write, schedule_manage, browser_control, env_read:<KEY>",
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

/** When an agent acts without being prompted. */
export const AgentSchedule = z.strictObject({
  mode: z.enum(["reactive", "periodic", "proactive", "continuous"]).default(
    "reactive",
  ),
  cron: z.string().min(1).max(200).optional(),
}).refine((s) => s.mode !== "periodic" || s.cron !== undefined, {
  message: "a periodic schedule needs a cron expression",
  path: ["cron"],
});

/** An agent manifest, from `agent.toml`, JSON, a form or the CLI. */
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
  skills: z.array(Identifier).max(64).default([]),
  mcp_servers: z.array(Identifier).max(32).default([]),
  resources: AgentResources.default({}),
  schedule: AgentSchedule.default({ mode: "reactive" }),
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

/** Token counts of one LLM call or turn. */
export const Usage = z.object({
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
});
/** Token counts. */
export type Usage = z.infer<typeof Usage>;

/** A tool call requested by a model. */
export const ToolCall = z.object({
  id: z.string(),
  name: z.string(),
  args: z.record(z.string(), z.unknown()),
});
/** A tool call. */
export type ToolCall = z.infer<typeof ToolCall>;

/** One message of an agent's session. */
export const SessionMessage = z.object({
  id: z.number().int(),
  turn_id: z.string().nullable(),
  role: z.enum(["user", "assistant", "tool"]),
  text: z.string(),
  tool_calls: z.array(ToolCall).optional(),
  tool_call_id: z.string().optional(),
  status: z.enum(["complete", "stopped", "interrupted"]).optional(),
  created_at: z.string(),
});
/** A session message. */
export type SessionMessage = z.infer<typeof SessionMessage>;

/** Statuses of a turn (one user message and everything it caused). */
export const TurnStatus = z.enum([
  "queued",
  "running",
  "completed",
  "failed",
  "interrupted",
  "stopped",
  "cancelled",
]);
/** A turn status. */
export type TurnStatus = z.infer<typeof TurnStatus>;

/** How a turn ended, as `agent message` and the API report it. */
export const TurnResult = z.object({
  turn_id: z.string(),
  agent_id: z.string(),
  status: TurnStatus,
  reply: z.string(),
  usage: Usage,
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
/** A finished turn. */
export type TurnResult = z.infer<typeof TurnResult>;

/** Body of `POST /api/agents/{id}/message`. */
export const MessageBody = z.strictObject({
  text: z.string().min(1, "must not be empty").max(200_000),
});
/** A message body. */
export type MessageBody = z.infer<typeof MessageBody>;

/** Event payloads by type; the bus persists every one but `gap`. */
export const EventPayloads = {
  "kernel.started": z.object({ version: z.string(), agents: z.number() }),
  "kernel.stopping": z.object({ reason: z.string() }),
  "agent.lifecycle": z.object({
    from: AgentState.nullable(),
    to: AgentState,
    reason: z.string().optional(),
  }),
  "agent.purged": z.object({ count: z.number() }),
  "turn.started": z.object({ input: z.string() }),
  "message": z.object({ role: z.string(), text: z.string() }),
  "token": z.object({ text: z.string() }),
  "tool_start": z.object({
    call_id: z.string(),
    name: z.string(),
    args: z.record(z.string(), z.unknown()),
  }),
  "tool_end": z.object({
    call_id: z.string(),
    name: z.string(),
    ok: z.boolean(),
    output: z.string(),
  }),
  "usage": Usage.extend({
    model: z.string(),
    cost_usd: z.number().optional(),
    latency_ms: z.number().optional(),
  }),
  "budget": z.object({
    scope: z.string(),
    cap: z.string(),
    limit: z.number(),
    spent: z.number(),
    requested: z.number(),
  }),
  "session.repaired": z.object({ repairs: z.array(z.string()) }),
  "done": TurnResult,
  "error": z.object({ code: z.string(), message: z.string() }),
  "approval": z.object({ id: z.string(), status: z.string() }),
  "audit": z.object({ action: z.string(), detail: z.string() }),
} as const;

/** Every persisted event type. */
export type EventType = keyof typeof EventPayloads;
/** Event types as a list. */
export const EVENT_TYPES = Object.keys(EventPayloads) as EventType[];

/** One event of the kernel's bus. */
export interface TalonEvent<T extends EventType = EventType> {
  /** Position in the persisted log; `Last-Event-ID` on SSE. */
  id: number;
  ts: string;
  type: T;
  agent_id: string | null;
  turn_id: string | null;
  data: z.infer<(typeof EventPayloads)[T]>;
}

/** Delivered to a subscriber that fell behind: events `from_id..to_id` were skipped. */
export interface GapEvent {
  type: "gap";
  from_id: number;
  to_id: number;
}

/** Schema for an event read back from the wire. */
export const TalonEventWire = z.object({
  id: z.number().int(),
  ts: z.string(),
  type: z.enum(EVENT_TYPES as [EventType, ...EventType[]]),
  agent_id: z.string().nullable(),
  turn_id: z.string().nullable(),
  data: z.unknown(),
});

/** The error body every API failure returns. */
export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
/** An API error body. */
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Paging on lists that grow: `limit` (default 50, max 500) and a `before` cursor. */
export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.string().min(1).max(100).optional(),
});
/** Paging options. */
export type PageQuery = z.infer<typeof PageQuery>;

/** Formats zod issues as one line naming each field path. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      const keys = issue.keys.map((k) => (path ? `${path}.${k}` : k));
      return `unknown field ${keys.map((k) => `"${k}"`).join(", ")}`;
    }
    return path ? `${path}: ${issue.message}` : issue.message;
  }).join("; ");
}

/** Query of `GET /api/agents`. */
export const AgentListQuery = PageQuery.extend({
  state: AgentState.optional(),
});
/** Agent list options. */
export type AgentListQuery = z.infer<typeof AgentListQuery>;

/** Token roles. */
export const TokenRole = z.enum(["viewer", "operator", "admin"]);

/** Body of `POST /api/tokens`. */
export const CreateTokenBody = z.strictObject({
  role: TokenRole,
  name: z.string().min(1).max(100).default("token"),
});
/** A token creation request. */
export type CreateTokenBody = z.infer<typeof CreateTokenBody>;

/** A token as listings show it: never the secret. */
export const TokenView = z.object({
  id: z.string(),
  name: z.string(),
  role: TokenRole,
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});
/** A token record. */
export type TokenView = z.infer<typeof TokenView>;

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

/** `GET /api/agents` response. */
export const AgentList = z.object({ agents: z.array(AgentView) });

/** `GET /api/tokens` response. */
export const TokenList = z.object({ tokens: z.array(TokenView) });

/** `POST /api/tokens` response: the token appears here once. */
export const CreatedToken = TokenView.extend({ token: z.string() });
/** A newly created token. */
export type CreatedToken = z.infer<typeof CreatedToken>;

/** `POST /api/agents/purge` response. */
export const PurgeResult = z.object({ purged: z.number().int() });

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

const CapValue = z.number().nonnegative().finite().nullable().optional();

/** Body of `PUT /api/budget/agents/{id}`: given keys are set, `null` clears. */
export const AgentBudgetPatch = z.strictObject({
  tokens_per_hour: z.number().int().positive().nullable().optional(),
  usd_per_day: CapValue,
  tool_calls_per_minute: z.number().int().positive().nullable().optional(),
}).refine((p) => Object.keys(p).length > 0, { message: "set at least one cap" });
/** A change to one agent's caps. */
export type AgentBudgetPatch = z.infer<typeof AgentBudgetPatch>;

/** Body of `PUT /api/budget/global`: given keys are set, `null` clears. */
export const GlobalBudgetPatch = z.strictObject({
  usd_per_hour: CapValue,
  usd_per_day: CapValue,
  usd_per_month: CapValue,
}).refine((p) => Object.keys(p).length > 0, { message: "set at least one cap" });
/** A change to the global caps. */
export type GlobalBudgetPatch = z.infer<typeof GlobalBudgetPatch>;

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

/** `POST /api/agents/{id}/stop`: whether a turn was in flight, and how it ended. */
export const StopResult = z.object({
  agent_id: z.string(),
  stopped: z.boolean(),
  turn_id: z.string().nullable(),
  status: TurnStatus.nullable(),
  reply: z.string(),
});
/** The result of stopping an agent's turn. */
export type StopResult = z.infer<typeof StopResult>;
/** Actions the audit log records; the chain refuses any other. */
export const AUDIT_ACTIONS = [
  "agent.spawn",
  "agent.kill",
  "agent.message",
  "tool.call",
  "capability.allowed",
  "capability.denied",
  "approval.requested",
  "approval.decided",
  "budget.exceeded",
  "budget.set",
  "session.reset",
] as const;
/** One audit action. */
export const AuditAction = z.enum(AUDIT_ACTIONS);
/** An audit action name. */
export type AuditAction = z.infer<typeof AuditAction>;

/** One entry of the hash-chained audit log, `detail` already redacted. */
export const AuditEntryView = z.object({
  id: z.number().int().positive(),
  ts: z.string(),
  action: z.string(),
  actor: z.string(),
  agent_id: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  /** SHA-256 (hex) of the previous entry; 64 zeros for the first. */
  prev_hash: z.string(),
  /** SHA-256 (hex) of this entry's RFC 8785 canonical JSON (without `hash`). */
  hash: z.string(),
});
/** An audit entry. */
export type AuditEntryView = z.infer<typeof AuditEntryView>;

/** `POST /api/audit/verify`: whether the chain is intact, and where it breaks. */
export const AuditVerification = z.object({
  ok: z.boolean(),
  /** Entries in the log. */
  entries: z.number().int().nonnegative(),
  /** The newest entry; note its hash elsewhere to detect a truncated tail later. */
  head: z.object({ id: z.number().int(), hash: z.string() }).nullable(),
  /** The first entry that does not verify, and why. */
  first_broken: z.object({ id: z.number().int(), reason: z.string() }).optional(),
});
/** An audit verification result. */
export type AuditVerification = z.infer<typeof AuditVerification>;

/** Query of `GET /api/audit`: newest first, paged by an entry id. */
export const AuditListQuery = PageQuery.extend({
  before: z.coerce.number().int().positive().optional(),
  /** An agent id, or the name of an agent still on record. */
  agent_id: z.string().min(1).max(100).optional(),
  action: AuditAction.optional(),
});
/** Audit list options. */
export type AuditListQuery = z.infer<typeof AuditListQuery>;

/** `GET /api/audit/recent` response; `next_before` pages on when more entries exist. */
export const AuditList = z.object({
  entries: z.array(AuditEntryView),
  next_before: z.number().int().nullable(),
});
/** A page of audit entries. */
export type AuditList = z.infer<typeof AuditList>;

/** Query of `GET /api/budget`: one agent, or every live agent. */
export const BudgetQuery = z.strictObject({
  agent: z.string().min(1).max(100).optional(),
});

/** A model catalog entry, as `GET /api/models` shows it. */
export const ModelView = z.object({
  id: z.string(),
  aliases: z.array(z.string()),
  provider: z.enum(["openai", "anthropic"]).optional(),
  input_usd_per_mtok: z.number().optional(),
  output_usd_per_mtok: z.number().optional(),
  context_window: z.number().int().optional(),
});
/** `GET /api/models` response. */
export const ModelList = z.object({ models: z.array(ModelView) });

/** A provider entry, as `GET /api/providers` shows it: never a key. */
export const ProviderView = z.object({
  name: z.string(),
  kind: z.enum(["openai", "anthropic", "offline"]),
  base_url: z.string().nullable(),
  api_key_env: z.string().nullable(),
  default_model: z.string(),
  configured: z.boolean(),
  supported: z.boolean(),
  default: z.boolean(),
});
/** `GET /api/providers` response. */
export const ProviderList = z.object({ providers: z.array(ProviderView) });

/** Query of `GET /api/agents/{id}/session`: `before` is a message id. */
export const SessionQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.coerce.number().int().positive().optional(),
});
/** Session paging options. */
export type SessionQuery = z.infer<typeof SessionQuery>;

/** `GET /api/agents/{id}/session` response, oldest first; `next_before` pages back. */
export const SessionPage = z.object({
  messages: z.array(SessionMessage),
  next_before: z.number().int().nullable(),
});
/** A page of an agent's session. */
export type SessionPage = z.infer<typeof SessionPage>;

/** `POST /api/agents/{id}/session/reset` response. */
export const SessionReset = z.object({ agent_id: z.string(), removed: z.number().int() });
/** The result of a session reset. */
export type SessionReset = z.infer<typeof SessionReset>;

/** Query of `GET /api/usage`: sums per agent, model or UTC day since a time (default 30 days). */
export const UsageQuery = z.strictObject({
  group: z.enum(["agent", "model", "day"]).default("agent"),
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
/** Usage report options. */
export type UsageQuery = z.infer<typeof UsageQuery>;

/** `GET /api/usage` response. */
export const UsageReport = z.object({
  group: z.enum(["agent", "model", "day"]),
  since: z.string(),
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
