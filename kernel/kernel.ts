/**
 * The kernel and its boot sequence: config → data dir and lock → SQLite and
 * migrations → drivers → subsystems → restore agents → `kernel.started`.
 * `close()` is the graceful shutdown: stop accepting work, interrupt turns
 * in flight, suspend running agents, persist, release the lock.
 *
 * @module
 */
import { AgentRegistry, SessionService } from "./agent/mod.ts";
import { type BackupSnapshot, openSnapshot } from "./backup.ts";
import { BrowserSessions, type ToolExecutor, ToolRegistry } from "./tools/mod.ts";
import { denoEnv, type EnvReader } from "./config.ts";
import { DATA_FILES, type DataDirLock, dataPath } from "./data_dir.ts";
import { EventBus } from "./events/mod.ts";
import { ApprovalService, BudgetLedger, Schedules } from "./scheduler/mod.ts";
import { type Clock, type ClockTimer, systemClock } from "./clock.ts";
import { type FetchGuarded, SkillRegistry } from "./skills/mod.ts";
import { BUNDLED_HANDS, HandService, ReportService } from "./hands/mod.ts";
import { guardedFetchOf, registerBuiltinTools, registerHandTools } from "./kernel_tools.ts";
import { ProviderRegistry } from "./llm/mod.ts";
import { A2aPeers, McpClients } from "./protocols/mod.ts";
import { KnowledgeGraph, MemoryService, meteredEmbedder, parseInput } from "./memory/mod.ts";
import { type Logger } from "./log.ts";
import {
  AuditAnchors,
  AuditChain,
  configuredSecrets,
  type Resolver,
  type SecretSet,
  SsrfGuard,
  TokenService,
  WebSessionService,
} from "./security/mod.ts";
import * as store from "./store/mod.ts";
import type {
  AuditVerification,
  BudgetReport,
  KernelStatus,
  MemoryStats,
  TalonConfig,
  ToolHistory,
  ToolView,
  UsageQuery,
  UsageReport,
} from "./types.ts";
import { ToolHistoryQuery } from "./types.ts";
import { VERSION } from "./version.ts";

/** A booted kernel: every subsystem, over one database, holding the lock. */
export class Kernel {
  readonly config: TalonConfig;
  readonly dataDir: string;
  readonly db: store.Database;
  readonly bus: EventBus;
  readonly log: Logger;
  readonly providers: ProviderRegistry;
  readonly agents: AgentRegistry;
  /** Agents' many sessions: list, switch, reset, export, compaction by hand. */
  readonly sessions: SessionService;
  /** Every tool, with the capability gate in front of them. */
  readonly tools: ToolRegistry;
  /** The SSRF guard every network tool goes through. */
  readonly webGuard: SsrfGuard;
  /** Agents' headless browsers (the browser tools), started on first use. */
  readonly browsers: BrowserSessions;
  readonly tokens: TokenService;
  /** Dashboard sessions logged in with an API token. */
  readonly webSessions: WebSessionService;
  readonly budget: BudgetLedger;
  /** Approval requests of gated tool calls, and the decisions on them. */
  readonly approvals: ApprovalService;
  /** Schedules and their runs; only a kernel that is not ephemeral fires them. */
  readonly schedules: Schedules;
  readonly clock: Clock;
  /** The hash-chained audit log. */
  readonly audit: AuditChain;
  /** Anchors of the audit head: periodic, at shutdown, checked by {@link Kernel.verifyAudit}. */
  readonly auditAnchors: AuditAnchors;
  /** Bundled and installed skills, and the sandbox their plugins run in. */
  readonly skills: SkillRegistry;
  /** The Hands catalog and the instances activated from it. */
  readonly hands: HandService;
  /** Reports stored by Hand runs. */
  readonly reports: ReportService;
  /** MCP servers agents use, and their connections. */
  readonly mcp: McpClients;
  /** The A2A peers this Talon may reach (`[a2a] peers`). */
  readonly a2a: A2aPeers;
  /** Agent memory: key-value entries, facts with hybrid recall, retention. */
  readonly memory: MemoryService;
  /** Agents' knowledge graphs. */
  readonly knowledge: KnowledgeGraph;
  readonly ephemeral: boolean;
  /** Configured secret values and key shapes, redacted from everything streamed out. */
  readonly secrets: SecretSet;
  readonly startedAt: string = new Date().toISOString();
  readonly #lock: DataDirLock;
  readonly #pruneTimer: ReturnType<typeof setInterval>;
  #decayTimer: ClockTimer | undefined;
  #closing: Promise<void> | undefined;

  constructor(parts: {
    config: TalonConfig;
    dataDir: string;
    db: store.Database;
    log: Logger;
    lock: DataDirLock;
    providers: ProviderRegistry;
    tools?: ToolExecutor;
    ephemeral?: boolean;
    env?: EnvReader;
    resolver?: Resolver;
    fetchGuarded?: FetchGuarded;
    clock?: Clock;
  }) {
    this.ephemeral = parts.ephemeral ?? false;
    const clock = this.clock = parts.clock ?? systemClock;
    this.config = parts.config;
    this.dataDir = parts.dataDir;
    this.db = parts.db;
    this.log = parts.log;
    this.#lock = parts.lock;
    this.providers = parts.providers;
    this.bus = new EventBus(this.db, { bufferSize: this.config.events.subscriber_buffer });
    this.secrets = configuredSecrets({
      keyEnvs: [
        ...this.providers.list().map((p) => p.api_key_env),
        "OPENAI_API_KEY",
        "ANTHROPIC_API_KEY",
        this.config.tools.web_search.api_key_env,
      ],
      capabilities: this.config.max_capabilities,
      env: parts.env ?? denoEnv,
    });
    this.audit = new AuditChain(this.db, { secrets: this.secrets });
    this.budget = new BudgetLedger({
      db: this.db,
      audit: this.audit,
      config: this.config.budget,
      pricing: this.providers.catalog,
      now: () => clock.now(),
    });
    this.schedules = new Schedules({
      db: this.db,
      bus: this.bus,
      audit: this.audit,
      log: this.log,
      clock,
      budget: this.budget,
      keepRuns: this.config.schedules.keep_runs,
      targets: () => ({
        send: (agentId, text, options) => this.agents.send(agentId, text, options),
        stopTurn: (agentId, turnId) => this.agents.stopTurn(agentId, turnId, { actor: "system" }),
      }),
    });
    this.approvals = new ApprovalService({
      db: this.db,
      bus: this.bus,
      audit: this.audit,
      log: this.log,
      clock: this.clock,
      config: this.config.approvals,
    });
    this.tools = new ToolRegistry({
      approvals: this.approvals,
      timeoutMs: this.config.tools.timeout_ms,
      maxOutputChars: this.config.tools.max_output_chars,
      audit: this.audit,
      log: this.log,
      attachedTools: (agent) => [
        ...this.skills.toolNamesFor(agent.manifest.skills),
        ...this.mcp.toolNamesFor(agent.manifest.mcp_servers),
      ],
      prepareTools: (agent, signal) => this.mcp.connectFor(agent.manifest.mcp_servers, signal),
    });
    this.mcp = new McpClients({
      db: this.db,
      audit: this.audit,
      log: this.log,
      configured: this.config.mcp_servers,
      env: parts.env ?? denoEnv,
      tools: this.tools,
      autostart: !this.ephemeral,
      inUse: () =>
        new Set(
          this.agents.list({ limit: 10_000 }).filter((a) => a.state !== "killed").flatMap((a) =>
            a.manifest.mcp_servers
          ),
        ),
      lifecycle: this.ephemeral
        ? undefined
        : () => this.bus.subscribe({ types: ["agent.lifecycle"] }),
    });
    const web = this.config.tools.web;
    const guardOptions = {
      resolver: parts.resolver,
      allowHosts: web.allow_hosts,
      maxBytes: web.max_bytes,
      timeoutMs: web.timeout_ms,
      maxRedirects: web.max_redirects,
    };
    this.webGuard = new SsrfGuard(guardOptions);
    this.a2a = new A2aPeers({
      config: this.config.a2a,
      env: parts.env ?? denoEnv,
      guard: (timeoutMs) => new SsrfGuard({ ...guardOptions, timeoutMs }),
    });
    this.skills = new SkillRegistry({
      dir: dataPath(this.dataDir, "skills"),
      tools: this.tools,
      audit: this.audit,
      kv: {
        get: (skill, key) => store.skillKvGet(this.db, skill, key),
        set: (skill, key, value) => store.skillKvSet(this.db, skill, key, value),
        clear: (skill) => store.skillKvClear(this.db, skill),
      },
      log: this.log,
      limits: this.config.sandbox,
      fetchGuarded: parts.fetchGuarded ?? guardedFetchOf(this.webGuard),
    });
    const browser = this.config.tools.browser;
    this.browsers = new BrowserSessions({
      profiles: dataPath(this.dataDir, "browser"),
      executable: browser.executable,
      guard: this.webGuard,
      idleMs: browser.idle_timeout_ms,
      actionTimeoutMs: browser.action_timeout_ms,
    });
    this.memory = new MemoryService({
      db: this.db,
      config: this.config.memory,
      clock,
      log: this.log,
      embedder: this.config.memory.embedding === undefined
        ? undefined
        : meteredEmbedder(this.config.memory.embedding, {
          providers: this.providers,
          ledger: this.budget,
        }),
    });
    this.knowledge = new KnowledgeGraph({ db: this.db, clock });
    const executor = parts.tools ?? this.tools;
    this.agents = new AgentRegistry({
      ledger: this.budget,
      models: this.providers.catalog,
      audit: this.audit,
      db: this.db,
      bus: this.bus,
      log: this.log,
      providers: this.providers,
      config: this.config,
      tools: executor,
      toolNames: executor instanceof ToolRegistry ? executor : undefined,
      mcpServers: this.mcp,
      skills: this.skills,
      schedules: this.schedules,
      memory: this.memory,
      secrets: this.secrets,
      onKilled: (agentId) => void this.browsers.close(agentId),
    });
    this.sessions = new SessionService({
      db: this.db,
      bus: this.bus,
      log: this.log,
      providers: this.providers,
      config: this.config,
      ledger: this.budget,
      audit: this.audit,
      models: this.providers.catalog,
      agent: (ref) => this.agents.get(ref),
    });
    // The agent tools need the AgentRegistry, which needs the tool registry: add them last.
    registerBuiltinTools(this, parts.env ?? denoEnv);
    this.hands = new HandService({
      db: this.db,
      bus: this.bus,
      log: this.log,
      clock,
      agents: this.agents,
      schedules: this.schedules,
      env: parts.env ?? denoEnv,
      packages: BUNDLED_HANDS,
    });
    this.reports = new ReportService(this.db);
    registerHandTools(this);
    this.tokens = new TokenService(this.db, this.audit);
    this.webSessions = new WebSessionService(this.db, {
      audit: this.audit,
      ttlHours: this.config.http.session_ttl_hours,
    });
    const anchorUrl = this.config.audit.anchor_url;
    this.auditAnchors = new AuditAnchors({
      path: dataPath(this.dataDir, DATA_FILES.auditAnchors),
      head: () => {
        const last = store.lastAuditEntry(this.db);
        return last ? { id: last.id, hash: last.hash } : null;
      },
      clock,
      log: this.log,
      intervalMs: this.config.audit.anchor_interval_ms,
      publish: anchorUrl === undefined ? undefined : async (anchor) => {
        const res = await this.webGuard.fetch(anchorUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(anchor),
        });
        if (res.status >= 400) throw new Error(`anchor URL answered ${res.status}`);
      },
    });
    if (!this.ephemeral) this.auditAnchors.start();
    this.#pruneTimer = setInterval(() => {
      this.pruneEvents();
      this.webSessions.prune();
    }, 3_600_000);
    Deno.unrefTimer(this.#pruneTimer);
  }

  /**
   * Verifies the audit chain in steps (the server keeps answering) and
   * checks the anchored heads against it: a truncated or rewritten tail fails.
   */
  verifyAudit(): Promise<AuditVerification> {
    return this.audit.verifyInSteps({ anchors: this.auditAnchors.read() });
  }

  /** The schema version of the open database. */
  get schemaVersion(): number {
    return store.schemaVersion(this.db);
  }

  /** Version, schema, data dir and agents by state, for `/api/status`. */
  status(): KernelStatus {
    return {
      version: VERSION,
      started_at: this.startedAt,
      schema_version: this.schemaVersion,
      data_dir: this.dataDir,
      agents: store.countAgentsByState(this.db),
      default_provider: this.providers.defaultProvider.name,
    };
  }

  /**
   * Global caps and spend, and the budgets of live agents (at most the
   * 10,000 newest) or of the one agent `ref` names.
   */
  budgetReport(ref?: string): BudgetReport {
    const agents = ref !== undefined
      ? [this.agents.get(ref)]
      : this.agents.list({ limit: 10_000 }).filter((a) => a.state !== "killed");
    return this.budget.report(agents);
  }

  /**
   * Metered usage since `query.since` (default: 30 days ago), summed per
   * agent, model or day; only `query.agent`'s (id or name) when given.
   */
  usage(query: UsageQuery): UsageReport {
    const since = new Date(
      query.since === undefined ? Date.now() - 30 * 86_400_000 : Date.parse(query.since),
    ).toISOString();
    const agentId = query.agent === undefined ? undefined : this.agents.get(query.agent).id;
    const rows = store.usageGrouped(this.db, {
      group: query.group,
      since,
      limit: query.limit,
      agentId,
    });
    return agentId === undefined
      ? { group: query.group, since, rows }
      : { group: query.group, since, agent_id: agentId, rows };
  }

  /** The agent's own tool calls from the audit log, and figures per tool. */
  toolHistory(agentId: string, query: unknown): ToolHistory {
    const q = parseInput(ToolHistoryQuery, query, "query");
    return store.toolHistory(this.db, agentId, q);
  }

  /** Memory figures of the agent `ref` names, or of every agent that keeps memory. */
  memoryStats(ref?: string): MemoryStats {
    const agents = ref !== undefined
      ? [this.agents.get(ref)]
      : this.memory.agentsWithMemory().flatMap((id) => {
        try {
          return [this.agents.get(id)];
        } catch {
          return [];
        }
      });
    return this.memory.stats(agents);
  }

  /** Runs a decay pass now and again every day (a kernel that serves, not a CLI one). */
  startMemoryDecay(): void {
    const pass = () => {
      try {
        const lowered = this.memory.decay();
        if (lowered > 0) this.log.info("memory decay lowered confidences", { facts: lowered });
      } catch (error) {
        this.log.warn("memory decay failed", { error });
      }
      this.#decayTimer = this.clock.setTimeout(pass, 86_400_000);
    };
    pass();
  }

  /** Every registered tool (skill tools once their skill is loaded), for `/api/tools`. */
  toolViews(): ToolView[] {
    this.skills.list();
    return this.tools.list().map((t) => ({
      name: t.name,
      description: t.description,
      risk: t.risk,
      capabilities: typeof t.capabilities === "function" ? null : [...t.capabilities],
      needs_approval: t.needsApproval,
      source: this.tools.isBuiltin(t.name)
        ? "builtin"
        : t.name.startsWith("mcp_")
        ? "mcp"
        : "skill",
      parameters: t.parameters,
    }));
  }

  /**
   * A consistent snapshot of the database taken while the kernel runs
   * (`VACUUM INTO` inside the data dir, the name removed at once), audited.
   * The caller reads and closes its file.
   */
  async openBackup(options: { actor?: string } = {}): Promise<BackupSnapshot> {
    const snapshot = await openSnapshot(this.db, this.dataDir);
    try {
      this.audit.append({
        action: "backup.create",
        actor: options.actor ?? "system",
        agent_id: null,
        detail: { bytes: snapshot.size, name: snapshot.name },
      });
    } catch (error) {
      snapshot.file.close();
      throw error;
    }
    return snapshot;
  }

  /** True once `close()` has begun. */
  get closing(): boolean {
    return this.#closing !== undefined;
  }

  /** Deletes events past their retention; returns how many. */
  pruneEvents(): number {
    const now = Date.now();
    const { retention_days, token_retention_hours } = this.config.events;
    return store.pruneEvents(this.db, {
      before: new Date(now - retention_days * 86_400_000).toISOString(),
      tokensBefore: new Date(now - token_retention_hours * 3_600_000).toISOString(),
    });
  }

  /** Graceful shutdown; safe to call more than once. */
  close(reason = "shutdown"): Promise<void> {
    this.#closing ??= this.#shutdown(reason);
    return this.#closing;
  }

  async #shutdown(reason: string): Promise<void> {
    this.log.info("kernel stopping", { reason });
    clearInterval(this.#pruneTimer);
    if (this.#decayTimer) this.clock.clearTimeout(this.#decayTimer);
    try {
      if (!this.ephemeral) this.bus.publish("kernel.stopping", { reason });
      this.schedules.stop();
      this.hands.close();
      this.approvals.close();
      await this.agents.shutdown(this.config.shutdown.timeout_ms, {
        suspend: !this.ephemeral,
      });
      this.schedules.finalize();
    } finally {
      this.auditAnchors.stop();
      this.auditAnchors.anchor("shutdown");
      await this.browsers.closeAll();
      await this.mcp.close();
      this.skills.close();
      this.bus.close();
      this.db.close();
      this.#lock.release();
    }
  }
}
