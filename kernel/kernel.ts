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
import { type DataDirLock } from "./data_dir.ts";
import { EventBus } from "./events/mod.ts";
import { ApprovalService, BudgetLedger, Schedules } from "./scheduler/mod.ts";
import { type Clock, systemClock } from "./clock.ts";
import { type FetchGuarded, SkillRegistry } from "./skills/mod.ts";
import { BUNDLED_HANDS, HandService, ReportService } from "./hands/mod.ts";
import { registerBuiltinTools, registerHandTools } from "./kernel_tools.ts";
import { outsideParts } from "./kernel_outside.ts";
import { securityPosture } from "./kernel_posture.ts";
import * as queries from "./kernel_queries.ts";
import { auditAnchorsOf, KernelUpkeep } from "./kernel_upkeep.ts";
import { type IdentityParts, identityParts } from "./identity_wiring.ts";
import { ProviderRegistry } from "./llm/mod.ts";
import { A2aPeers, McpClients } from "./protocols/mod.ts";
import { KnowledgeGraph, MemoryService, meteredEmbedder } from "./memory/mod.ts";
import { type Logger, redactingLogger } from "./log.ts";
import {
  AuditAnchors,
  AuditChain,
  configuredSecrets,
  ExfiltrationGuard,
  type Resolver,
  type SecretSet,
  SsrfGuard,
  TokenService,
  WebSessionService,
} from "./security/mod.ts";
import { secretSourcesOf } from "./secret_sources.ts";
import * as store from "./store/mod.ts";
import type {
  AuditVerification,
  BudgetReport,
  KernelStatus,
  MemoryStats,
  SecurityPosture,
  TalonConfig,
  ToolHistory,
  ToolView,
  UsageQuery,
  UsageReport,
} from "./types.ts";

/** A booted kernel: every subsystem, over one database, holding the lock. */
export class Kernel {
  readonly config: TalonConfig;
  readonly dataDir: string;
  readonly db: store.Database;
  readonly bus: EventBus;
  readonly log: Logger;
  readonly providers: ProviderRegistry;
  readonly agents: AgentRegistry;
  /** Agents' key pairs, signed messages and signed manifests (identity_wiring.ts). */
  readonly identity: IdentityParts;
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
  /** Refuses (and audits) outbound requests that carry a secret to a host it does not belong to. */
  readonly exfiltration: ExfiltrationGuard;
  readonly startedAt: string = new Date().toISOString();
  readonly #lock: DataDirLock;
  readonly #upkeep: KernelUpkeep;
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
    this.#lock = parts.lock;
    this.providers = parts.providers;
    this.bus = new EventBus(this.db, { bufferSize: this.config.events.subscriber_buffer });
    this.secrets = configuredSecrets(
      secretSourcesOf(this.config, { providers: this.providers.list(), env: parts.env ?? denoEnv }),
    );
    this.log = redactingLogger(parts.log, (value) => this.secrets.redactValue(value));
    this.audit = new AuditChain(this.db, { secrets: this.secrets });
    this.exfiltration = new ExfiltrationGuard(this.secrets, this.audit);
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
      taintGate: this.config.security.taint === "approve",
      audit: this.audit,
      log: this.log,
      attachedTools: (agent) => [
        ...this.skills.toolNamesFor(agent.manifest.skills),
        ...this.mcp.toolNamesFor(agent.manifest.mcp_servers),
      ],
      prepareTools: (agent, signal) => this.mcp.connectFor(agent.manifest.mcp_servers, signal),
    });
    const outside = outsideParts(this, {
      env: parts.env ?? denoEnv,
      resolver: parts.resolver,
      fetchGuarded: parts.fetchGuarded,
    });
    this.mcp = outside.mcp;
    this.webGuard = outside.webGuard;
    this.a2a = outside.a2a;
    this.skills = outside.skills;
    this.browsers = outside.browsers;
    this.memory = new MemoryService({
      db: this.db,
      config: this.config.memory,
      clock,
      log: this.log,
      audit: this.audit,
      embedder: this.config.memory.embedding === undefined
        ? undefined
        : meteredEmbedder(this.config.memory.embedding, {
          providers: this.providers,
          ledger: this.budget,
        }),
    });
    this.knowledge = new KnowledgeGraph({ db: this.db, clock });
    const executor = parts.tools ?? this.tools;
    const env = parts.env ?? denoEnv;
    this.identity = identityParts({ ...this, env });
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
      onSpawned: this.identity.onSpawned,
      manifests: this.identity.manifests,
      receive: this.identity.receive,
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
      mcpServers: this.mcp,
    });
    this.reports = new ReportService(this.db);
    registerHandTools(this);
    this.tokens = new TokenService(this.db, this.audit);
    this.webSessions = new WebSessionService(this.db, {
      audit: this.audit,
      ttlHours: this.config.http.session_ttl_hours,
    });
    this.auditAnchors = auditAnchorsOf(this);
    if (!this.ephemeral) this.auditAnchors.start();
    this.#upkeep = new KernelUpkeep(this);
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
    return queries.kernelStatus(this);
  }

  /**
   * Global caps and spend, and the budgets of live agents (at most the
   * 10,000 newest) or of the one agent `ref` names.
   */
  budgetReport(ref?: string): BudgetReport {
    return queries.budgetReport(this, ref);
  }

  /**
   * Metered usage since `query.since` (default: 30 days ago), summed per
   * agent, model or day; only `query.agent`'s (id or name) when given.
   */
  usage(query: UsageQuery): UsageReport {
    return queries.usageReport(this, query);
  }

  /** The agent's own tool calls from the audit log, and figures per tool. */
  toolHistory(agentId: string, query: unknown): ToolHistory {
    return queries.toolHistory(this, { agentId, query });
  }

  /** Memory figures of the agent `ref` names, or of every agent that keeps memory. */
  memoryStats(ref?: string): MemoryStats {
    return queries.memoryStats(this, ref);
  }

  /** Runs a decay pass now and again every day (a kernel that serves, not a CLI one). */
  startMemoryDecay(): void {
    this.#upkeep.startMemoryDecay();
  }

  /** Every registered tool (skill tools once their skill is loaded), for `/api/tools`. */
  toolViews(): ToolView[] {
    return queries.toolViews(this);
  }

  /** The security posture and its findings (`talon security audit`). */
  securityPosture(options: { source: "server" | "local" }): Promise<SecurityPosture> {
    return securityPosture(this, options);
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
    return this.#upkeep.pruneEvents();
  }

  /** Graceful shutdown; safe to call more than once. */
  close(reason = "shutdown"): Promise<void> {
    this.#closing ??= this.#shutdown(reason);
    return this.#closing;
  }

  async #shutdown(reason: string): Promise<void> {
    this.log.info("kernel stopping", { reason });
    this.#upkeep.stop();
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
      await this.identity.identity.settle();
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
