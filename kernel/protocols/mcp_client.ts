/**
 * Talon's MCP client: the configured servers (`[mcp_servers.<name>]` plus
 * entries added at run time), one lazy connection each, and their tools in
 * the tool registry as `mcp_<server>_<tool>`. A server starts when an agent
 * that names it first needs its tools — never in an ephemeral CLI kernel,
 * except for {@link McpClients.test} — and stops when no live agent names
 * it any more, or Talon stops. A connection that fails or drops is retried
 * with backoff; until then calls get a tool error saying why. A server whose
 * tool descriptions look like prompt injection offers no tools until an
 * admin allows it (audited).
 *
 * The MCP SDK loads on first connection (kernel/protocols/mcp_session.ts).
 *
 * @module
 */
import { TalonError } from "../errors.ts";
import { type Logger, redactingLogger } from "../log.ts";
import type { SecretSet } from "../security/mod.ts";
import * as store from "../store/mod.ts";
import type { OutboundOrigin, OutboundRequest } from "../security/mod.ts";
import type { AuditSink, Tool, ToolRunContext } from "../tools/mod.ts";
import type { McpServerConfig, McpServerView, McpToolView } from "../types.ts";
import { allowEntry, deleteEntry, storedEntries, storeEntry } from "./mcp_entries.ts";
import { addEntrySecrets } from "./mcp_secrets.ts";
import type { McpSession, RawMcpTool } from "./mcp_session.ts";
import {
  abortable,
  backoffMs,
  newState,
  registerServerTools,
  type ServerState,
  toolViews,
  unregisterServerTools,
  viewOf,
} from "./mcp_server_state.ts";
import { scanMcpTools } from "./mcp_tools.ts";

/** Where MCP tools are registered (the kernel's tool registry). */
export interface McpToolSink {
  register(tool: Tool): void;
  unregister(name: string): boolean;
  has(name: string): boolean;
}

/** What {@link McpClients} needs. */
export interface McpClientsDeps {
  db: store.Database;
  audit: AuditSink;
  log: Logger;
  /** `[mcp_servers]` from the config. */
  configured: Record<string, McpServerConfig>;
  /** Values of the environment variables entries name. */
  env: (key: string) => string | undefined;
  tools: McpToolSink;
  /** False in an ephemeral CLI kernel: only {@link McpClients.test} connects. */
  autostart: boolean;
  /** Names of the servers some live agent names. */
  inUse: () => Set<string>;
  /**
   * Agent lifecycle events, watched while a server runs; after each kill,
   * servers no live agent names are stopped. None in an ephemeral kernel.
   */
  lifecycle?: () => AsyncIterable<{ type: string; data?: unknown }> & { close(): void };
  /**
   * The kernel's secrets: the values of every entry's `headers_env` and
   * (non-locating) `env` variables join it, and the client's log lines are
   * redacted with it (kernel/protocols/mcp_secrets.ts).
   */
  secrets?: SecretSet;
  now?: () => number;
  /** Checks every request to an HTTP server before it is sent (the exfiltration guard). */
  outbound?: (request: OutboundRequest, origin: OutboundOrigin) => void;
}

/** The least time a server gets to start and list its tools. */
const CONNECT_TIMEOUT_S = 30;

/** Every MCP server Talon knows, and their connections. */
export class McpClients {
  readonly #deps: McpClientsDeps;
  readonly #servers = new Map<string, ServerState>();
  readonly #now: () => number;
  readonly #log: Logger;
  #closed = false;
  #watching?: { close(): void };

  constructor(deps: McpClientsDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    const secrets = deps.secrets;
    this.#log = secrets ? redactingLogger(deps.log, (v) => secrets.redactValue(v)) : deps.log;
    for (const [name, config] of Object.entries(deps.configured)) {
      this.#servers.set(name, this.#newState(name, "config", config));
    }
    for (const [name, config] of storedEntries(deps.db, this.#log)) {
      if (!this.#servers.has(name)) this.#servers.set(name, this.#newState(name, "api", config));
    }
  }

  /** Watches agent kills while some server runs. */
  #watchKills(): void {
    if (this.#watching || !this.#deps.lifecycle || this.#closed) return;
    const events = this.#watching = this.#deps.lifecycle();
    void this.#watch(events);
  }

  #unwatchIfIdle(): void {
    if ([...this.#servers.values()].some((s) => s.session || s.connecting)) return;
    this.#watching?.close();
    this.#watching = undefined;
  }

  async #watch(events: AsyncIterable<{ type: string; data?: unknown }>): Promise<void> {
    try {
      for await (const event of events) {
        if ((event.data as { to?: string } | undefined)?.to === "killed") await this.sweep();
      }
    } catch (error) {
      this.#log.warn("MCP server sweeping stopped", { error });
    }
  }

  /** True when a server with this name is configured. */
  has(name: string): boolean {
    return this.#servers.has(name);
  }

  /** Every server, by name. */
  list(): McpServerView[] {
    const allowed = store.allowedMcpServers(this.#deps.db);
    return [...this.#servers.values()].sort((a, b) => a.name < b.name ? -1 : 1).map((s) =>
      viewOf(s, allowed.has(s.name))
    );
  }

  /** One server; `not_found` otherwise. */
  get(name: string): McpServerView {
    return viewOf(this.#state(name), store.allowedMcpServers(this.#deps.db).has(name));
  }

  /** Adds a server at run time (stored in SQLite, audited). */
  add(input: unknown, options: { actor: string }): McpServerView {
    const { name, config: entry } = storeEntry(this.#deps, input, {
      actor: options.actor,
      taken: (n) => this.#servers.has(n),
    });
    const state = this.#newState(name, "api", entry);
    this.#servers.set(name, state);
    return viewOf(state, false);
  }

  /** Removes a server added at run time, stopping it; config entries stay. */
  async remove(name: string, options: { actor: string }): Promise<void> {
    const state = this.#state(name);
    if (state.source === "config") {
      throw new TalonError(
        "invalid_input",
        `MCP server "${name}" comes from the config file; remove it there`,
      );
    }
    deleteEntry(this.#deps, name, options);
    this.#servers.delete(name);
    this.#unregisterTools(state);
    await this.#stop(state);
  }

  /** Lets a flagged server's tools through (audited). */
  allow(name: string, options: { actor: string }): McpServerView {
    const state = this.#state(name);
    allowEntry(this.#deps, name, { actor: options.actor, flagged: state.flagged });
    if (state.status === "flagged" && state.session) {
      state.status = "connected";
      state.error = null;
      this.#registerTools(state, state.session.tools);
    }
    return viewOf(state, true);
  }

  /** Talon names of the tools of these servers that agents may be offered. */
  toolNamesFor(names: readonly string[]): string[] {
    return names.flatMap((n) => {
      const state = this.#servers.get(n);
      return state && state.status !== "flagged" ? [...state.tools.keys()] : [];
    });
  }

  /**
   * Connects the servers an agent names, so their tools are known before
   * the model is called. Failures are logged, not thrown: the turn goes on,
   * and calls to a server that is down get a tool error.
   */
  async connectFor(names: readonly string[], signal: AbortSignal): Promise<void> {
    if (!this.#deps.autostart || this.#closed || names.length === 0) return;
    await Promise.all(names.map(async (name) => {
      const state = this.#servers.get(name);
      if (!state || state.session || state.retryAt > this.#now()) return;
      try {
        await abortable(this.#connect(state), signal);
      } catch (error) {
        this.#log.warn("MCP server unavailable", { server: name, error });
      }
    }));
  }

  /** The server's tools, connecting first when this kernel may. */
  async tools(name: string): Promise<McpToolView[]> {
    const state = this.#state(name);
    if (this.#deps.autostart && !state.session && state.retryAt <= this.#now()) {
      await this.#connect(state).catch(() => {});
    }
    return toolViews(state);
  }

  /**
   * Starts the server, lists its tools and stops it again unless an agent
   * uses it (`talon mcp-server test`); throws `mcp_unavailable` saying why.
   */
  async test(name: string): Promise<McpToolView[]> {
    const state = this.#state(name);
    state.retryAt = 0;
    await this.#connect(state);
    const tools = toolViews(state);
    if (!this.#deps.autostart || !this.#deps.inUse().has(name)) await this.#stop(state);
    return tools;
  }

  /** Stops the servers no live agent names any more. */
  async sweep(): Promise<void> {
    const used = this.#deps.inUse();
    await Promise.all(
      [...this.#servers.values()].filter((s) => s.session && !used.has(s.name)).map((s) =>
        this.#stop(s)
      ),
    );
  }

  /** Stops every server (their process groups are killed). */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#servers.values()].map((s) => this.#stop(s)));
  }

  /** A server's state; its secret variables' values join the secret set. */
  #newState(name: string, source: "config" | "api", config: McpServerConfig): ServerState {
    if (this.#deps.secrets) addEntrySecrets(this.#deps.secrets, config, this.#deps.env);
    return newState(name, source, config);
  }

  #state(name: string): ServerState {
    const state = this.#servers.get(name);
    if (!state) {
      throw new TalonError(
        "not_found",
        `no MCP server named "${name}"; known: ${[...this.#servers.keys()].join(", ") || "(none)"}`,
      );
    }
    return state;
  }

  #connect(state: ServerState): Promise<McpSession> {
    if (state.session) return Promise.resolve(state.session);
    if (this.#closed) {
      return Promise.reject(new TalonError("mcp_unavailable", "Talon is stopping"));
    }
    state.connecting ??= this.#open(state).finally(() => {
      state.connecting = undefined;
    });
    return state.connecting;
  }

  async #open(state: ServerState): Promise<McpSession> {
    const { name, config } = state;
    state.status = "connecting";
    let session: McpSession;
    try {
      const { openMcpSession } = await import("./mcp_session.ts");
      session = await openMcpSession(config, {
        env: this.#deps.env,
        outbound: this.#deps.outbound === undefined
          ? undefined
          : (request) => this.#deps.outbound!(request, { actor: "system", tool: `mcp:${name}` }),
        // Starting a server (e.g. through a package runner) may take longer than one call.
        timeoutMs: Math.max(config.timeout_s, CONNECT_TIMEOUT_S) * 1000,
        onStderr: (line) => this.#log.debug("MCP server stderr", { server: name, line }),
        onClosed: (reason) => {
          if (state.session !== session) return;
          state.session = undefined;
          this.#failed(state, `the server went away: ${reason}`);
          this.#unwatchIfIdle();
        },
      });
    } catch (error) {
      this.#failed(state, (error as Error).message);
      throw new TalonError(
        "mcp_unavailable",
        `MCP server "${name}" is unavailable: ${(error as Error).message}`,
        { cause: error },
      );
    }
    if (this.#closed || !this.#servers.has(name)) {
      await session.close();
      throw new TalonError("mcp_unavailable", `MCP server "${name}" was stopped`);
    }
    state.session = session;
    this.#watchKills();
    state.failures = 0;
    state.retryAt = 0;
    const offered = config.tools
      ? session.tools.filter((t) => config.tools!.includes(t.name))
      : session.tools;
    const flagged = scanMcpTools(offered);
    state.flagged = flagged;
    if (flagged.length > 0 && !store.allowedMcpServers(this.#deps.db).has(name)) {
      state.status = "flagged";
      state.error = `its tool descriptions look like prompt injection (${
        flagged.join(", ")
      }); an admin can allow it with: talon mcp-server allow ${name}`;
      this.#unregisterTools(state);
      this.#deps.audit.append({
        action: "mcp.server.flagged",
        actor: "system",
        detail: { server: name, patterns: flagged },
      });
      return session;
    }
    state.status = "connected";
    state.error = null;
    this.#registerTools(state, offered);
    return session;
  }

  #failed(state: ServerState, message: string): void {
    state.failures++;
    state.status = "failed";
    state.error = this.#deps.secrets?.redact(message) ?? message;
    state.retryAt = this.#now() + backoffMs(state.failures);
    this.#log.warn("MCP server failed", { server: state.name, error: message });
  }

  #registerTools(state: ServerState, tools: readonly RawMcpTool[]): void {
    registerServerTools(state, tools, {
      sink: this.#deps.tools,
      audit: this.#deps.audit,
      log: this.#log,
      call: (original, args, ctx) => this.#call(state, original, args, ctx),
    });
  }

  #unregisterTools(state: ServerState): void {
    unregisterServerTools(state, this.#deps.tools);
  }

  async #call(
    state: ServerState,
    original: string,
    args: Record<string, unknown>,
    ctx: ToolRunContext,
  ) {
    if (state.status === "flagged") {
      throw new Error(`MCP server "${state.name}" is flagged: ${state.error}`);
    }
    if (!state.session && state.retryAt > this.#now()) {
      const wait = Math.ceil((state.retryAt - this.#now()) / 1000);
      throw new TalonError(
        "mcp_unavailable",
        `MCP server "${state.name}" is unavailable (${state.error}); Talon retries in ${wait} s`,
      );
    }
    const session = await abortable(this.#connect(state), ctx.signal);
    try {
      return await session.call(original, args, {
        signal: ctx.signal,
        timeoutMs: state.config.timeout_s * 1000 + 5000,
      });
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      throw new TalonError(
        "mcp_call_failed",
        `MCP server "${state.name}" failed the call: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  async #stop(state: ServerState): Promise<void> {
    const session = state.session ?? await state.connecting?.catch(() => undefined);
    state.session = undefined;
    if (state.status === "connected" || state.status === "connecting") state.status = "idle";
    await session?.close();
    this.#unwatchIfIdle();
  }
}
