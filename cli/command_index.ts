/**
 * The CLI's command index: every command's words and one-line summary, and
 * the module that implements it, loaded only when that command runs. It is
 * what `talon --help` and command lookup read, so neither loads a command
 * module (and through one the kernel). tests/cli/command_index_test.ts keeps
 * it equal to the commands the modules define.
 *
 * @module
 */
import type { Command } from "./commands/command.ts";

type Loader = () => Promise<readonly Command[]>;

const serve: Loader = () => import("./commands/serve.ts").then((m) => [m.serveCommand]);
const agent: Loader = () => import("./commands/agent.ts").then((m) => m.agentCommands);
const token: Loader = () => import("./commands/token.ts").then((m) => m.tokenCommands);
const budget: Loader = () => import("./commands/budget.ts").then((m) => m.budgetCommands);
const skill: Loader = () => import("./commands/skill.ts").then((m) => m.skillCommands);
const audit: Loader = () => import("./commands/audit.ts").then((m) => m.auditCommands);
const schedule: Loader = () => import("./commands/schedule.ts").then((m) => m.scheduleCommands);
const approval: Loader = () => import("./commands/approval.ts").then((m) => m.approvalCommands);
const session: Loader = () => import("./commands/session.ts").then((m) => m.sessionCommands);
const mcpServer: Loader = () => import("./commands/mcp_server.ts").then((m) => m.mcpServerCommands);
const mcp: Loader = () => import("./commands/mcp.ts").then((m) => [m.mcpCommand]);
const memory: Loader = () => import("./commands/memory.ts").then((m) => m.memoryCommands);
const hand: Loader = () => import("./commands/hand.ts").then((m) => m.handCommands);
const migrate: Loader = () => import("./commands/migrate.ts").then((m) => [m.migrateCommand]);
const security: Loader = () => import("./commands/security.ts").then((m) => m.securityCommands);
const a2a: Loader = () => import("./commands/a2a.ts").then((m) => m.a2aCommands);
const identity: Loader = () => import("./commands/identity.ts").then((m) => m.identityCommands);

/** One command as the index knows it: enough to list it and find its module. */
export interface CommandEntry {
  /** Words after `talon`, e.g. `["agent", "spawn"]`. */
  words: readonly string[];
  summary: string;
  /** The commands of the module that defines it (it is the one with the same words). */
  load: Loader;
}

const ENTRIES: [string[], string, Loader][] = [
  [["serve"], "Serve the dashboard, API and kernel (the default command)", serve],
  [["agent", "spawn"], "Spawn an agent from a manifest file or flags", agent],
  [["agent", "list"], "List agents, newest first", agent],
  [["agent", "show"], "Show one agent", agent],
  [["agent", "message"], "Send a message and print the reply as it streams", agent],
  [["agent", "pause"], "Pause an agent: it accepts no messages until resumed", agent],
  [["agent", "resume"], "Resume a paused agent", agent],
  [
    ["agent", "kill"],
    "Kill an agent and its children (final; the record stays until purge)",
    agent,
  ],
  [["agent", "stop"], "Stop the agent's turn in flight, keeping its partial answer", agent],
  [["agent", "purge"], "Remove killed agents and their sessions", agent],
  [["token", "create"], "Create an API token; it is printed once, alone on the last line", token],
  [["token", "list"], "List API tokens (never their secrets)", token],
  [["token", "revoke"], "Revoke an API token", token],
  [
    ["budget", "show"],
    "Show global spend and caps, and each live agent's use against its caps",
    budget,
  ],
  [
    ["budget", "set"],
    "Set or clear caps of one agent, or with --global the global caps (admin)",
    budget,
  ],
  [["skill", "list"], "List bundled and installed skills, with their tools and status", skill],
  [["skill", "show"], "Show one skill: manifest, checks, tools and the prompt it adds", skill],
  [["skill", "install"], "Install the skill in a folder (SKILL.md, optional plugin.wasm)", skill],
  [["skill", "remove"], "Remove an installed skill, its tools and its stored keys", skill],
  [
    ["audit", "verify"],
    "Verify the audit chain; exit 1 and name the first broken entry if it is not intact",
    audit,
  ],
  [["audit", "list"], "List audit entries, newest first", audit],
  [
    ["security", "audit"],
    "Print the security posture; exit 1 when something is dangerous",
    security,
  ],
  [
    ["schedule", "add"],
    "Schedule a message to an agent (cron, every or at); prints the id last",
    schedule,
  ],
  [["schedule", "list"], "List schedules, oldest first", schedule],
  [["schedule", "show"], "Show one schedule", schedule],
  [["schedule", "edit"], "Change a schedule (--cron, --every or --at switches its kind)", schedule],
  [
    ["schedule", "enable"],
    "Enable a schedule: it fires next at its next due time from now",
    schedule,
  ],
  [
    ["schedule", "disable"],
    "Disable a schedule: it keeps its runs and can be enabled again",
    schedule,
  ],
  [
    ["schedule", "remove"],
    "Delete a schedule and its runs (not one owned by a manifest)",
    schedule,
  ],
  [
    ["schedule", "run-now"],
    "Fire a schedule now, outside its timing (needs `talon serve` running)",
    schedule,
  ],
  [["schedule", "runs"], "A schedule's runs, newest first", schedule],
  [["approval", "list"], "List approval requests, newest first", approval],
  [
    ["approval", "show"],
    "Show one request with the exact arguments its call would run with",
    approval,
  ],
  [["approval", "approve"], "Approve a pending request: its call runs", approval],
  [
    ["approval", "reject"],
    "Reject a pending request: its call is denied and the model sees the reason",
    approval,
  ],
  [
    ["session", "list"],
    "List an agent's sessions, newest first (* marks the current one)",
    session,
  ],
  [
    ["session", "show"],
    "Show a session (the current one by default) and its last messages",
    session,
  ],
  [
    ["session", "switch"],
    "Make one of an agent's sessions current: its next message continues it",
    session,
  ],
  [["session", "label"], 'Set (or with "" clear) a session\'s label', session],
  [
    ["session", "export"],
    "Write a session (the current one by default) as JSON or Markdown",
    session,
  ],
  [["compact"], "Summarise the older turns of an agent's current session now", session],
  [["backup"], "Write a consistent snapshot of the database to a new file (mode 0600)", session],
  [["restore"], "Replace the database with a backup (only while no server runs)", session],
  [["mcp-server", "list"], "List MCP servers, their status and tools", mcpServer],
  [
    ["mcp-server", "add"],
    "Add an MCP server: --command <path> [--arg <a>]... [--env <KEY>]... or --url <url>",
    mcpServer,
  ],
  [["mcp-server", "remove"], "Remove an MCP server added at run time, stopping it", mcpServer],
  [["mcp-server", "test"], "Start an MCP server, list its tools and stop it", mcpServer],
  [["mcp-server", "allow"], "Offer a flagged MCP server's tools after all (audited)", mcpServer],
  [["mcp"], "Serve Talon's agents and management to an MCP host over stdio", mcp],
  [["a2a", "discover"], "Read a configured A2A peer's agent card: its endpoint and skills", a2a],
  [["memory", "set"], "Store text under a key of an agent's key-value memory", memory],
  [["memory", "get"], "Print the text stored under a key", memory],
  [["memory", "delete"], "Delete a key-value entry", memory],
  [["memory", "list"], "List an agent's facts and key-value entries, newest first", memory],
  [["memory", "remember"], "Add a fact to an agent's memory", memory],
  [["memory", "forget"], "Forget one of an agent's facts", memory],
  [
    ["memory", "search"],
    "Search everything an agent remembers (hybrid over facts, key-value entries too)",
    memory,
  ],
  [
    ["memory", "stats"],
    "Memory figures of one agent or all, and whether recall is hybrid or BM25 only",
    memory,
  ],
  [["hand", "list"], "List the Hands and what each still needs on this machine", hand],
  [["hand", "show"], "Show a Hand: what it does, its settings, requirements and procedure", hand],
  [
    ["hand", "check"],
    "Check a Hand's requirements here, each with its fix (exit 1 when one is missing)",
    hand,
  ],
  [["hand", "activate"], "Activate a Hand as a new instance; prints the instance id last", hand],
  [
    ["hand", "instances"],
    "List Hand instances with their next run, last run, cost and reports",
    hand,
  ],
  [["hand", "pause"], "Pause a Hand instance: its schedule stops firing", hand],
  [["hand", "resume"], "Resume a paused Hand instance", hand],
  [
    ["hand", "deactivate"],
    "Deactivate a Hand instance: its agent is killed, its runs and reports kept",
    hand,
  ],
  [["hand", "run"], "Run a Hand instance now (needs `talon serve` running)", hand],
  [["report", "list"], "List the reports Hand runs wrote, newest first", hand],
  [["report", "show"], "Show a report: its sources and markdown body", hand],
  [
    ["key", "create"],
    "Make an Ed25519 key pair for signing manifests (private key file, mode 0600)",
    identity,
  ],
  [
    ["manifest", "sign"],
    "Sign an agent manifest (TOML or JSON) with a key from `talon key create`",
    identity,
  ],
  [["migrate"], "Apply pending database migrations", migrate],
];

/** Every command, in help order. */
export const COMMAND_INDEX: readonly CommandEntry[] = ENTRIES.map(([words, summary, load]) => ({
  words,
  summary,
  load,
}));

/**
 * Every command option that takes a value (`--name <v>`, and short forms
 * such as `-o`): so the words of argv are found before the command's module is
 * loaded (`talon --name x agent spawn` works).
 */
export const VALUE_FLAGS: readonly string[] = [
  "--action",
  "--agent",
  "--arg",
  "--at",
  "--before",
  "--capability",
  "--catch-up",
  "--command",
  "--cron",
  "--cwd",
  "--description",
  "--env",
  "--every",
  "--format",
  "--hand",
  "--header-env",
  "--host",
  "--instance",
  "--key",
  "--limit",
  "--max-runtime",
  "--message",
  "--model",
  "--name",
  "--out",
  "--output",
  "-o",
  "--overlap",
  "--owner",
  "--parent",
  "--patch",
  "--port",
  "--provider",
  "--reason",
  "--role",
  "--set",
  "--state",
  "--status",
  "--system-prompt",
  "--timeout",
  "--tokens-per-hour",
  "--tool-calls-per-minute",
  "--tz",
  "--url",
  "--usd-per-day",
  "--usd-per-hour",
  "--usd-per-month",
];
