/**
 * The configuration file's shape (`config.toml`, DESIGN.md "Config"): every
 * section as a strict zod schema with its defaults, so an unknown key is an
 * error naming its path. kernel/config.ts loads and merges it (flag > env >
 * file > default); `kernel/types.ts` re-exports these with the other schemas.
 *
 * @module
 */
import { z } from "zod";
import { PLAIN_CAPABILITIES } from "../vocabulary.ts";
import { A2aConfig } from "./a2a.ts";
import { Capability } from "./agent_manifest.ts";
import { ProviderKind } from "./catalog.ts";
import { McpServerConfig, McpServerName } from "./mcp.ts";
import { MemoryConfig } from "./memory.ts";
import { SecurityConfig } from "./security_config.ts";

/** Log levels, least to most severe. */
export const LogLevel = z.enum(["debug", "info", "warn", "error"]);
/** A log level. */
export type LogLevel = z.infer<typeof LogLevel>;

/** Capabilities a top-level agent may hold unless the config says otherwise. */
export const DEFAULT_MAX_CAPABILITIES: readonly string[] = [
  "net_connect:*",
  ...PLAIN_CAPABILITIES.filter((c) => c !== "shell_exec"),
];

/** A named provider entry, `[providers.<name>]`. */
export const ProviderConfig = z.strictObject({
  kind: ProviderKind,
  base_url: z.url().optional(),
  api_key_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
  default_model: z.string().min(1).optional(),
});
/** A provider entry. */
export type ProviderConfig = z.infer<typeof ProviderConfig>;

/** A model catalog entry, `[models."<id>"]`: prices per million tokens. */
export const ModelConfig = z.strictObject({
  input_usd_per_mtok: z.number().nonnegative().optional(),
  output_usd_per_mtok: z.number().nonnegative().optional(),
  context_window: z.number().int().positive().optional(),
  aliases: z.array(z.string().min(1).max(300)).max(32).default([]),
});
/** A model catalog entry from the config. */
export type ModelConfig = z.infer<typeof ModelConfig>;

/** Per-agent caps: every agent gets these unless an admin sets its own. */
export const AgentBudgetCaps = z.strictObject({
  tokens_per_hour: z.number().int().positive().optional(),
  usd_per_day: z.number().nonnegative().optional(),
  tool_calls_per_minute: z.number().int().positive().optional(),
});
/** Per-agent caps. */
export type AgentBudgetCaps = z.infer<typeof AgentBudgetCaps>;

/** Global spending caps plus the default per-agent caps; unset means unlimited. */
export const BudgetConfig = z.strictObject({
  usd_per_hour: z.number().nonnegative().optional(),
  usd_per_day: z.number().nonnegative().optional(),
  usd_per_month: z.number().nonnegative().optional(),
  agent: AgentBudgetCaps.default({}),
});
/** The `[budget]` table. */
export type BudgetConfig = z.infer<typeof BudgetConfig>;

/** `[http.rate_limit]`: requests per minute, per window of 60 s. */
export const RateLimitConfig = z.strictObject({
  /** Per API token (its dashboard sessions share the token's budget). */
  requests_per_minute: z.number().int().min(1).max(1_000_000).default(600),
  /** Per client IP, every request but `/api/health` and the local CLI credential. */
  per_ip_per_minute: z.number().int().min(1).max(1_000_000).default(1200),
  /** Failed credentials per client IP: logins and requests with an invalid Bearer token. */
  login_per_minute: z.number().int().min(1).max(10_000).default(10),
});
/** The `[http.rate_limit]` table. */
export type RateLimitConfig = z.infer<typeof RateLimitConfig>;

/** `[http]`: dashboard sessions and rate limits. */
export const HttpConfig = z.strictObject({
  /** Lifetime of a dashboard session after login, hours. */
  session_ttl_hours: z.number().min(0.01).max(24 * 365).default(12),
  rate_limit: RateLimitConfig.default({
    requests_per_minute: 600,
    per_ip_per_minute: 1200,
    login_per_minute: 10,
  }),
});
/** The `[http]` table. */
export type HttpConfig = z.infer<typeof HttpConfig>;

/** A host name or IP literal, optionally with `:port` (`[::1]:8080` for IPv6). */
const HostEntry = z.string().min(1).max(300).regex(
  /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/,
  "must be a host name or IP address, optionally with :port (IPv6 in brackets)",
);

/** An environment variable name. */
const EnvName = z.string().regex(
  /^[A-Za-z_][A-Za-z0-9_]*$/,
  "must be an environment variable name",
);

/** `[tools.web_search]`: which search API `web_search` calls. */
export const WebSearchConfig = z.strictObject({
  provider: z.enum(["searxng", "brave", "tavily"]).optional(),
  /** Base URL of the API; required for searxng, defaults to the public API otherwise. */
  url: z.url({ protocol: /^https?$/ }).optional(),
  /** Variable holding the API key (brave, tavily). */
  api_key_env: EnvName.optional(),
  max_results: z.number().int().min(1).max(50).default(5),
}).superRefine((c, ctx) => {
  if (c.provider === "searxng" && c.url === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["url"],
      message: "searxng needs the url of its instance",
    });
  }
  if ((c.provider === "brave" || c.provider === "tavily") && c.api_key_env === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["api_key_env"],
      message: `${c.provider} needs api_key_env naming the variable that holds its key`,
    });
  }
});
/** The `[tools.web_search]` table. */
export type WebSearchConfig = z.infer<typeof WebSearchConfig>;

/** `[tools]`: limits of every call and settings of the built-in tools. */
export const ToolsConfig = z.strictObject({
  timeout_ms: z.number().int().min(10).max(3_600_000).default(60_000),
  max_output_chars: z.number().int().min(100).max(10_000_000).default(50_000),
  files: z.strictObject({
    max_read_bytes: z.number().int().min(1).max(1 << 30).default(1_048_576),
    max_write_bytes: z.number().int().min(1).max(1 << 30).default(10_485_760),
  }).prefault({}),
  web: z.strictObject({
    /** Hosts (or resolved addresses) the SSRF guard lets through although private. */
    allow_hosts: z.array(HostEntry).max(256).default([]),
    max_bytes: z.number().int().min(1).max(1 << 30).default(2_097_152),
    timeout_ms: z.number().int().min(10).max(600_000).default(30_000),
    max_redirects: z.number().int().min(0).max(20).default(5),
  }).prefault({}),
  web_search: WebSearchConfig.prefault({}),
  browser: z.strictObject({
    /** The Chromium the browser tools drive (Debian's by default). */
    executable: z.string().min(1).max(1000).regex(/^\//, "must be an absolute path")
      .default("/usr/bin/chromium"),
    /** An agent's browser is closed after this long without a browser tool call. */
    idle_timeout_ms: z.number().int().min(1000).max(86_400_000).default(300_000),
    /** Limit of one browser action (navigation, click, fill, wait). */
    action_timeout_ms: z.number().int().min(100).max(600_000).default(30_000),
    /** Characters of page text `browser_read` and `browser_open` return at most. */
    max_text_chars: z.number().int().min(100).max(1_000_000).default(20_000),
  }).prefault({}),
  video: z.strictObject({
    /** The ffmpeg `video_clip` runs (an absolute path, as `--allow-run` names it). */
    ffmpeg: z.string().min(1).max(1000).regex(/^\//, "must be an absolute path")
      .default("/usr/bin/ffmpeg"),
    /** Limit of one `video_clip` call, all its clips together. */
    timeout_ms: z.number().int().min(100).max(3_600_000).default(300_000),
  }).prefault({}),
  shell: z.strictObject({
    /** Variables copied from Talon's environment into a command's (if Talon may read them). */
    env_allow: z.array(EnvName).max(256).default(["PATH", "LANG"]),
    timeout_ms: z.number().int().min(10).max(3_600_000).default(30_000),
    max_output_bytes: z.number().int().min(1).max(1 << 30).default(1_048_576),
  }).prefault({}),
});
/** The `[tools]` table. */
export type ToolsConfig = z.infer<typeof ToolsConfig>;

/** A tool name as `[approvals]` lists it. */
const ToolNameEntry = z.string().regex(
  /^[a-z][a-z0-9_]{0,63}$/,
  "must be a tool name: lowercase letters, digits and '_', starting with a letter",
);

/**
 * `[approvals]`: which tool calls wait for a person. `require` names tools,
 * `require_risk` gates every tool at or above a risk, `auto_approve` names
 * tools that never ask (a tool's own default gate, e.g. `shell_exec`'s, and
 * `require_risk` yield to it; `require` and manifest gates do not).
 */
export const ApprovalsConfig = z.strictObject({
  require: z.array(ToolNameEntry).max(256).default([]),
  require_risk: z.enum(["low", "medium", "high"]).optional(),
  /** Seconds a request waits before the call is denied. */
  timeout_s: z.number().int().min(1).max(7 * 86_400).default(300),
  auto_approve: z.array(ToolNameEntry).max(256).default([]),
}).superRefine((c, ctx) => {
  c.auto_approve.forEach((name, i) => {
    if (c.require.includes(name)) {
      ctx.addIssue({
        code: "custom",
        path: ["auto_approve", i],
        message: `"${name}" is also in approvals.require; remove it from one of the two lists`,
      });
    }
  });
});
/** The `[approvals]` table. */
export type ApprovalsConfig = z.infer<typeof ApprovalsConfig>;

/** The whole configuration file. */
export const TalonConfig = z.strictObject({
  log_level: LogLevel.default("info"),
  max_capabilities: z.array(Capability).default([...DEFAULT_MAX_CAPABILITIES]),
  default_provider: z.string().optional(),
  server: z.strictObject({
    host: z.string().min(1).default("127.0.0.1"),
    port: z.number().int().min(0).max(65535).default(4200),
  }).default({ host: "127.0.0.1", port: 4200 }),
  providers: z.record(
    z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/),
    ProviderConfig,
  ).default({}),
  offline: z.strictObject({
    script: z.string().min(1).optional(),
  }).default({}),
  agents: z.strictObject({
    queue_limit: z.number().int().min(1).max(10_000).default(32),
    max_history_messages: z.number().int().min(1).max(100_000).default(200),
    max_iterations: z.number().int().min(1).max(1000).default(50),
    max_continuations: z.number().int().min(0).max(100).default(3),
    max_call_depth: z.number().int().min(1).max(100).default(5),
    /** Compact a session when its prompt passes this share of the model's context window. */
    compact_ratio: z.number().min(0.1).max(0.95).default(0.7),
    /** …or, when the model's window is unknown, this many messages since the last summary. */
    compact_messages: z.number().int().min(4).max(100_000).default(200),
  }).default({
    queue_limit: 32,
    max_history_messages: 200,
    max_iterations: 50,
    max_continuations: 3,
    max_call_depth: 5,
    compact_ratio: 0.7,
    compact_messages: 200,
  }),
  tools: ToolsConfig.prefault({}),
  approvals: ApprovalsConfig.prefault({}),
  audit: z.strictObject({
    /** How often the chain's head is anchored to `audit-anchors.jsonl` (and `anchor_url`), ms. */
    anchor_interval_ms: z.number().int().min(1000).max(7 * 86_400_000).default(3_600_000),
    /** Also POST each anchor (JSON) here, through the SSRF guard. */
    anchor_url: z.url({ protocol: /^https?$/ }).optional(),
  }).default({ anchor_interval_ms: 3_600_000 }),
  schedules: z.strictObject({
    /** Run rows kept per schedule, newest first; older ended runs are deleted as new ones come. */
    keep_runs: z.number().int().min(10).max(1_000_000).default(1000),
  }).default({ keep_runs: 1000 }),
  llm: z.strictObject({
    max_attempts: z.number().int().min(1).max(10).default(3),
    retry_base_ms: z.number().int().min(0).max(60_000).default(500),
    retry_max_ms: z.number().int().min(0).max(600_000).default(20_000),
    request_timeout_ms: z.number().int().min(1000).max(3_600_000).default(600_000),
  }).default({
    max_attempts: 3,
    retry_base_ms: 500,
    retry_max_ms: 20_000,
    request_timeout_ms: 600_000,
  }),
  models: z.record(z.string().min(1).max(300), ModelConfig).default({}),
  budget: BudgetConfig.default({ agent: {} }),
  events: z.strictObject({
    subscriber_buffer: z.number().int().min(16).max(1_000_000).default(4096),
    retention_days: z.number().min(1).max(3650).default(30),
    token_retention_hours: z.number().min(1).max(24 * 365).default(24),
  }).default({
    subscriber_buffer: 4096,
    retention_days: 30,
    token_retention_hours: 24,
  }),
  sandbox: z.strictObject({
    workers: z.number().int().min(1).max(64).default(4),
    timeout_ms: z.number().int().min(10).max(3_600_000).default(10_000),
    fuel: z.number().int().min(1000).max(Number.MAX_SAFE_INTEGER).default(100_000_000),
    max_fuel: z.number().int().min(1000).max(Number.MAX_SAFE_INTEGER).default(10_000_000_000),
    memory_pages: z.number().int().min(1).max(65_536).default(256),
    max_memory_pages: z.number().int().min(1).max(65_536).default(1024),
    host_reply_bytes: z.number().int().min(1024).max(64 * 1_048_576).default(1_048_576),
  }).default({
    workers: 4,
    timeout_ms: 10_000,
    fuel: 100_000_000,
    max_fuel: 10_000_000_000,
    memory_pages: 256,
    max_memory_pages: 1024,
    host_reply_bytes: 1_048_576,
  }),
  /** MCP servers agents may use, `[mcp_servers.<name>]`; more can be added at run time. */
  mcp_servers: z.record(McpServerName, McpServerConfig).default({}),
  /** A2A: the URL cards advertise, and the peers Talon's A2A client may reach. */
  a2a: A2aConfig.default({ peers: {} }),
  shutdown: z.strictObject({
    timeout_ms: z.number().int().min(100).max(600_000).default(10_000),
  }).default({ timeout_ms: 10_000 }),
  memory: MemoryConfig.prefault({}),
  security: SecurityConfig.prefault({}),
  http: HttpConfig.default({
    session_ttl_hours: 12,
    rate_limit: { requests_per_minute: 600, per_ip_per_minute: 1200, login_per_minute: 10 },
  }),
});
/** A validated configuration. */
export type TalonConfig = z.infer<typeof TalonConfig>;
