/**
 * Hands: the `HAND.toml` manifest of a packaged autonomous capability, the
 * settings form built from its `[[settings]]`, activation, instances, and
 * the reports and forecasts their runs produce.
 *
 * @module
 */
import { z } from "zod";
import { Capability } from "./agent_manifest.ts";
import { CronExpression, Duration, TimeZone } from "./schedule_input.ts";
import { settingProblem } from "./hand_input.ts";
import { McpServerName } from "./mcp_input.ts";

export { ActivateHandBody, handSettingsSchema, settingProblem } from "./hand_input.ts";

/** Hand ids: slugs, like agent names. */
export const HandId = z.string().regex(
  /^[a-z][a-z0-9-]{0,39}$/,
  "must be a slug: lowercase letters, digits or '-', starting with a letter, at most 40 characters",
);

const ToolName = z.string().regex(
  /^[a-z][a-z0-9_]{0,63}$/,
  "must be a tool name: lowercase letters, digits or '_', starting with a letter",
);

/** Deno permissions a Hand can require (`--allow-<name>`). */
export const HAND_PERMISSIONS = ["run", "net", "read", "write", "env", "sys", "ffi"] as const;

/**
 * One `[[requires]]` entry: a binary on PATH (`kind = "bin"`, `name` the
 * command), an environment variable (`kind = "env"`, `name` the key), or a
 * Deno permission of the running process (`kind = "permission"`, `name` the
 * permission, `value` the command, host, path or key it must cover). `hint`
 * says, for a person, how to meet it.
 */
export const HandRequirement = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("bin"),
    name: z.string().regex(/^[A-Za-z0-9._+-]{1,100}$|^\/[^\0]{1,300}$/, {
      message: "must be a command name (ffmpeg) or an absolute path (/usr/bin/chromium)",
    }),
    label: z.string().min(1).max(200).optional(),
    hint: z.string().min(1, "must say how to install it").max(1000),
  }),
  z.strictObject({
    kind: z.literal("env"),
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, {
      message: "must be an environment variable name such as SEARCH_API_KEY",
    }),
    label: z.string().min(1).max(200).optional(),
    hint: z.string().min(1, "must say how to set it").max(1000),
  }),
  z.strictObject({
    kind: z.literal("permission"),
    name: z.enum(HAND_PERMISSIONS, {
      message: `must be one of ${HAND_PERMISSIONS.join(", ")}`,
    }),
    value: z.string().min(1).max(300).optional(),
    label: z.string().min(1).max(200).optional(),
    hint: z.string().min(1, "must say how to grant it").max(1000),
  }),
], { error: 'kind must be "bin", "env" or "permission"' });
/** A requirement of a Hand. */
export type HandRequirement = z.infer<typeof HandRequirement>;

/** Setting types of the activation form. */
export const HandSettingType = z.enum(["select", "text", "toggle", "number"]);
/** A setting type. */
export type HandSettingType = z.infer<typeof HandSettingType>;

/** A setting's value: text and select are strings, number a number, toggle a boolean. */
export const HandSettingValue = z.union([z.string().max(10_000), z.number(), z.boolean()]);
/** A setting value. */
export type HandSettingValue = z.infer<typeof HandSettingValue>;

/** One `[[settings]]` entry; its default and options must fit its type. */
export const HandSetting = z.strictObject({
  key: z.string().regex(
    /^[a-z][a-z0-9_]{0,63}$/,
    "must be lowercase letters, digits or '_', starting with a letter",
  ),
  label: z.string().min(1).max(200),
  type: HandSettingType,
  required: z.boolean().default(false),
  default: HandSettingValue.optional(),
  options: z.array(z.string().min(1).max(200)).min(1).max(100).optional(),
  help: z.string().max(2000).optional(),
}).superRefine((s, ctx) => {
  if (s.type === "select" && s.options === undefined) {
    ctx.addIssue({ code: "custom", path: ["options"], message: "a select setting needs options" });
  }
  if (s.type !== "select" && s.options !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["options"],
      message: "only a select setting has options",
    });
  }
  if (s.default !== undefined) {
    const problem = settingProblem(s, s.default);
    if (problem) ctx.addIssue({ code: "custom", path: ["default"], message: problem });
  }
});
/** A setting of a Hand. */
export type HandSetting = z.infer<typeof HandSetting>;

/** How a metric's value is shown. */
export const HandMetricFormat = z.enum(["number", "integer", "percent", "usd", "text"]);
/** A metric format. */
export type HandMetricFormat = z.infer<typeof HandMetricFormat>;

/** One `[[metrics]]` entry: a value read from the instance agent's memory key. */
export const HandMetric = z.strictObject({
  label: z.string().min(1).max(100),
  memory_key: z.string().min(1).max(200),
  format: HandMetricFormat.default("number"),
});
/** A metric of a Hand. */
export type HandMetric = z.infer<typeof HandMetric>;

/**
 * `HAND.toml`. `mcp_servers` names configured MCP servers (`[mcp_servers.<name>]`
 * or added at run time) whose tools the instance agent may use; activation
 * refuses a name that is not configured, naming the field.
 */
export const HandManifest = z.strictObject({
  id: HandId,
  name: z.string().min(1).max(100),
  description: z.string().min(1).max(2000),
  category: z.string().min(1).max(50),
  icon: z.string().min(1).max(16),
  version: z.string().regex(
    /^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/,
    "must be a semantic version like 1.0.0",
  ),
  tools: z.array(ToolName).max(64).default([]),
  skills: z.array(ToolName).max(32).default([]),
  mcp_servers: z.array(McpServerName).max(16).default([]),
  requires: z.array(HandRequirement).max(32).default([]),
  settings: z.array(HandSetting).max(50).default([]).superRefine((settings, ctx) => {
    const seen = new Set<string>();
    settings.forEach((s, i) => {
      if (seen.has(s.key)) {
        ctx.addIssue({ code: "custom", path: [i, "key"], message: `duplicate key "${s.key}"` });
      }
      seen.add(s.key);
    });
  }),
  agent: z.strictObject({
    capabilities: z.array(Capability).max(64).default([]),
    model: z.string().min(1).max(300).optional(),
    max_iterations: z.number().int().positive().max(1000).optional(),
    temperature: z.number().min(0).max(2).optional(),
  }).default({ capabilities: [] }),
  schedule: z.strictObject({
    cron: CronExpression,
    tz: z._default(TimeZone, "UTC"),
    /** What each run is told; a default names the Hand's procedure. */
    message: z.string().trim().min(1).max(10_000).optional(),
    /** A run is stopped (partial result kept) after this long. */
    max_runtime: z.optional(Duration),
  }),
  approval: z.strictObject({ tools: z.array(ToolName).max(64).default([]) })
    .default({ tools: [] }),
  budget: z.strictObject({
    usd_per_run: z.number().positive().optional(),
    usd_per_day: z.number().positive().optional(),
  }).default({}),
  metrics: z.array(HandMetric).max(20).default([]),
});
/** A validated HAND.toml, defaults applied. */
export type HandManifest = z.infer<typeof HandManifest>;

/** One requirement as checked on this machine, with what to do when it is not met. */
export const RequirementStatus = z.object({
  kind: z.enum(["bin", "env", "permission"]),
  name: z.string(),
  value: z.string().nullable(),
  label: z.string(),
  met: z.boolean(),
  /** What was found (the binary's path) or what is missing, in words. */
  detail: z.string(),
  /** How to meet it; empty when met. */
  fix: z.string(),
});
/** A checked requirement. */
export type RequirementStatus = z.infer<typeof RequirementStatus>;

/** A Hand in the catalog: its manifest and whether this box meets its requirements. */
export const HandView = z.object({
  manifest: HandManifest,
  requirements: z.array(RequirementStatus),
  ready: z.boolean(),
  /** Names of instances of this Hand that are not deactivated. */
  instances: z.array(z.string()),
});
/** A Hand in the catalog. */
export type HandView = z.infer<typeof HandView>;

/** `GET /api/hands/{id}`: the catalog entry and its operating procedure. */
export const HandDetail = HandView.extend({ sop: z.string() });
/** A Hand with its SOP. */
export type HandDetail = z.infer<typeof HandDetail>;

/** `GET /api/hands` response. */
export const HandList = z.object({ hands: z.array(HandView) });
/** The catalog. */
export type HandList = z.infer<typeof HandList>;

/** Body of `PATCH /api/hand-instances/{id}`: settings to change (checked like activation's). */
export const HandInstancePatch = z.strictObject({
  settings: z.record(z.string(), z.unknown()).refine((s) => Object.keys(s).length > 0, {
    message: "send at least one setting to change",
  }),
});
/** A settings edit. */
export type HandInstancePatch = z.infer<typeof HandInstancePatch>;

/** States of a Hand instance. */
export const HandInstanceState = z.enum(["active", "paused", "deactivated"]);
/** An instance state. */
export type HandInstanceState = z.infer<typeof HandInstanceState>;

/** A metric of an instance, read from its memory. */
export const HandMetricValue = z.object({
  label: z.string(),
  memory_key: z.string(),
  format: HandMetricFormat,
  /** The stored text, null when the key is not set yet. */
  raw: z.string().nullable(),
  /** The value in its format ("—" when unset). */
  display: z.string(),
});
/** A metric value. */
export type HandMetricValue = z.infer<typeof HandMetricValue>;

/** One run of an instance (its schedule's run). */
export const HandRunView = z.object({
  id: z.number().int(),
  trigger: z.string(),
  outcome: z.string(),
  started_at: z.string().nullable(),
  ended_at: z.string().nullable(),
  cost_usd: z.number(),
  reason: z.string().nullable(),
  message: z.string().nullable(),
});
/** A run. */
export type HandRunView = z.infer<typeof HandRunView>;

/** A Hand instance as the API, CLI and dashboard see it. */
export const HandInstanceView = z.object({
  id: z.string(),
  name: z.string(),
  hand_id: z.string(),
  state: HandInstanceState,
  agent_id: z.string(),
  schedule_id: z.string().nullable(),
  settings: z.record(z.string(), HandSettingValue),
  cron: z.string(),
  tz: z.string(),
  model: z.string().nullable(),
  next_run_at: z.string().nullable(),
  last_runs: z.array(HandRunView),
  metrics: z.array(HandMetricValue),
  reports: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});
/** An instance. */
export type HandInstanceView = z.infer<typeof HandInstanceView>;

/** `GET /api/hand-instances` response. */
export const HandInstanceList = z.object({ instances: z.array(HandInstanceView) });
/** Instances. */
export type HandInstanceList = z.infer<typeof HandInstanceList>;

/** Query of `GET /api/hand-instances`. */
export const HandInstanceQuery = z.strictObject({
  hand: HandId.optional(),
  state: HandInstanceState.optional(),
});
/** Instance list options. */
export type HandInstanceQuery = z.infer<typeof HandInstanceQuery>;

/** A source a report cites. */
export const ReportSource = z.strictObject({
  url: z.string().url("must be a URL").max(2000),
  title: z.string().max(300).optional(),
});
/** A report source. */
export type ReportSource = z.infer<typeof ReportSource>;

/** What happened when a report was posted to its webhook. */
export const ReportDelivery = z.object({
  url: z.string(),
  ok: z.boolean(),
  status: z.number().int().nullable(),
  error: z.string().nullable(),
  at: z.string(),
});
/** A webhook delivery. */
export type ReportDelivery = z.infer<typeof ReportDelivery>;

/** A report without its body, for lists. */
export const ReportSummary = z.object({
  id: z.string(),
  instance_id: z.string().nullable(),
  instance_name: z.string().nullable(),
  hand_id: z.string().nullable(),
  agent_id: z.string(),
  run_id: z.number().int().nullable(),
  turn_id: z.string(),
  title: z.string(),
  sources: z.array(ReportSource),
  delivery: ReportDelivery.nullable(),
  created_at: z.string(),
});
/** A report in a list. */
export type ReportSummary = z.infer<typeof ReportSummary>;

/** `GET /api/reports/{id}`: a report with its markdown body. */
export const ReportView = ReportSummary.extend({ body: z.string() });
/** A report. */
export type ReportView = z.infer<typeof ReportView>;

/** Query of `GET /api/reports`: newest first, optionally of one instance (id or name). */
export const ReportListQuery = z.strictObject({
  instance: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
/** Report list options. */
export type ReportListQuery = z.infer<typeof ReportListQuery>;

/** `GET /api/reports` response. */
export const ReportList = z.object({ reports: z.array(ReportSummary) });
/** Reports. */
export type ReportList = z.infer<typeof ReportList>;

/** A dated probabilistic forecast the predictor Hand recorded. */
export const ForecastView = z.object({
  id: z.string(),
  agent_id: z.string(),
  question: z.string(),
  probability: z.number(),
  resolve_by: z.string(),
  recorded_at: z.string(),
  outcome: z.boolean().nullable(),
  resolved_at: z.string().nullable(),
});
/** A forecast. */
export type ForecastView = z.infer<typeof ForecastView>;
