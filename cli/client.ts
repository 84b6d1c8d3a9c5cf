/**
 * What CLI commands need from Talon, behind one interface with two
 * implementations: in-process over a booted kernel, and over the HTTP API of
 * a running server. Both return the same shapes (Hand and report views parsed
 * with their wire schema, as the HTTP client does, so even key order matches),
 * so output is identical.
 *
 * @module
 */
import { type Kernel, writeBackupFile } from "../kernel/mod.ts";
import { localMemoryClient, type MemoryClient } from "./memory_client.ts";
import type {
  A2aCardView,
  ActivateHandBody,
  AgentBudgetPatch,
  AgentBudgetView,
  AgentListQuery,
  AgentView,
  ApprovalListQuery,
  ApprovalView,
  AuditList,
  AuditListQuery,
  AuditVerification,
  BudgetReport,
  CompactResult,
  CreateScheduleBody,
  CreateTokenBody,
  GlobalBudgetPatch,
  GlobalCaps,
  HandInstanceQuery,
  KernelStatus,
  McpServerAddBody,
  McpServerView,
  McpToolView,
  ReportListQuery,
  ScheduleEdit,
  ScheduleListQuery,
  ScheduleRunList,
  ScheduleRunsQuery,
  ScheduleRunView,
  ScheduleView,
  SecurityPosture,
  SessionPage,
  SessionPatch,
  SessionQuery,
  SessionView,
  SkillView,
  SpawnAgentBody,
  StopResult,
  TokenView,
  TurnResult,
} from "../kernel/types.ts";
import {
  HandDetail,
  HandInstanceView,
  HandView,
  ReportSummary,
  ReportView,
} from "../kernel/types.ts";

/** A streamed event of a turn, as the CLI sees it. */
export interface TurnEventView {
  type: string;
  data: unknown;
}

/** Everything the CLI does. */
export interface TalonClient {
  readonly mode: "local" | "remote";
  /** `talon memory …`. */
  readonly memory: MemoryClient;
  status(): Promise<KernelStatus>;
  spawnAgent(body: SpawnAgentBody): Promise<AgentView>;
  listAgents(query: Partial<AgentListQuery>): Promise<AgentView[]>;
  getAgent(ref: string): Promise<AgentView>;
  pauseAgent(ref: string): Promise<AgentView>;
  resumeAgent(ref: string): Promise<AgentView>;
  killAgent(ref: string): Promise<AgentView>;
  /** Stops the turn in flight, if any. */
  stopAgent(ref: string): Promise<StopResult>;
  purgeAgents(): Promise<number>;
  /** Sends a message and reports each turn event as it arrives. */
  message(
    ref: string,
    text: string,
    onEvent: (event: TurnEventView) => void,
  ): Promise<TurnResult>;
  createToken(body: CreateTokenBody): Promise<TokenView & { token: string }>;
  listTokens(): Promise<TokenView[]>;
  revokeToken(id: string): Promise<TokenView>;
  /** Walks the audit chain and reports the first broken link. */
  verifyAudit(): Promise<AuditVerification>;
  /** The security posture and its findings (admin through a server). */
  securityPosture(): Promise<SecurityPosture>;
  /** Audit entries newest first; `agent` is an id or a name. */
  listAudit(query: Partial<AuditListQuery>): Promise<AuditList>;
  /** Global caps and spend, and every live agent's budget (or one agent's). */
  budget(agent?: string): Promise<BudgetReport>;
  /** Sets or clears one agent's caps (admin). */
  setAgentBudget(ref: string, patch: AgentBudgetPatch): Promise<AgentBudgetView>;
  /** Sets or clears global caps (admin). */
  setGlobalBudget(patch: GlobalBudgetPatch): Promise<GlobalCaps>;
  /** Bundled and installed skills. */
  listSkills(): Promise<SkillView[]>;
  showSkill(name: string): Promise<SkillView>;
  /** Installs the skill in `dir` (a path on the machine Talon runs on). */
  installSkill(dir: string): Promise<SkillView>;
  removeSkill(name: string): Promise<void>;
  /** Configured MCP servers (run-time entries included). */
  listMcpServers(): Promise<McpServerView[]>;
  /** Adds an MCP server (admin). */
  addMcpServer(body: McpServerAddBody): Promise<McpServerView>;
  removeMcpServer(name: string): Promise<void>;
  /** Starts the server, lists its tools, stops it unless an agent uses it. */
  testMcpServer(name: string): Promise<McpToolView[]>;
  /** Offers a flagged server's tools after all (audited). */
  allowMcpServer(name: string): Promise<McpServerView>;
  /** Reads the agent card of a configured A2A peer. */
  discoverA2a(url: string): Promise<A2aCardView>;
  createSchedule(body: CreateScheduleBody): Promise<ScheduleView>;
  listSchedules(query: Partial<ScheduleListQuery>): Promise<ScheduleView[]>;
  getSchedule(id: string): Promise<ScheduleView>;
  /** Edits a schedule; `{enabled}` alone enables or disables it. */
  updateSchedule(id: string, edit: ScheduleEdit): Promise<ScheduleView>;
  removeSchedule(id: string): Promise<void>;
  /** Fires a schedule now (only a serving process fires). */
  runSchedule(id: string): Promise<ScheduleRunView>;
  scheduleRuns(id: string, query: Partial<ScheduleRunsQuery>): Promise<ScheduleRunList>;
  listApprovals(query: Partial<ApprovalListQuery>): Promise<ApprovalView[]>;
  getApproval(id: string): Promise<ApprovalView>;
  approve(id: string): Promise<ApprovalView>;
  reject(id: string, reason?: string): Promise<ApprovalView>;
  /** The agent's sessions, newest first. */
  listSessions(ref: string): Promise<SessionView[]>;
  getSession(ref: string, sessionId: string): Promise<SessionView>;
  /** A page of one session's messages (`before`: a message id). */
  sessionMessages(ref: string, sessionId: string, query: SessionQuery): Promise<SessionPage>;
  labelSession(ref: string, sessionId: string, patch: SessionPatch): Promise<SessionView>;
  switchSession(ref: string, sessionId: string): Promise<SessionView>;
  /** The session as a file's text, JSON or Markdown. */
  exportSession(ref: string, sessionId: string, format: "json" | "md"): Promise<string>;
  /** Summarises the older turns of the agent's current session now. */
  compact(ref: string): Promise<CompactResult>;
  /** Writes a snapshot of the database to `target` (a new file, mode 0600); returns its size. */
  backup(target: string): Promise<number>;
  /** The Hands catalog, each with its requirements as checked where Talon runs. */
  listHands(): Promise<HandView[]>;
  /** One Hand with its SOP. */
  getHand(id: string): Promise<HandDetail>;
  activateHand(id: string, body: ActivateHandBody): Promise<HandInstanceView>;
  listHandInstances(query: Partial<HandInstanceQuery>): Promise<HandInstanceView[]>;
  /** One instance by id or name; likewise for the lifecycle calls below. */
  getHandInstance(ref: string): Promise<HandInstanceView>;
  pauseHandInstance(ref: string): Promise<HandInstanceView>;
  resumeHandInstance(ref: string): Promise<HandInstanceView>;
  /** Runs an instance now (only a serving process fires). */
  runHandInstance(ref: string): Promise<ScheduleRunView>;
  deactivateHandInstance(ref: string): Promise<HandInstanceView>;
  listReports(query: Partial<ReportListQuery>): Promise<ReportSummary[]>;
  getReport(id: string): Promise<ReportView>;
}

/** How the audit log names the CLI acting in-process (the same as through the server). */
const LOCAL_ACTOR = "local:local";

/** A client over an in-process kernel. */
export class LocalClient implements TalonClient {
  readonly mode = "local";
  readonly #kernel: Kernel;
  readonly memory: MemoryClient;

  constructor(kernel: Kernel) {
    this.#kernel = kernel;
    this.memory = localMemoryClient(kernel, LOCAL_ACTOR);
  }

  status(): Promise<KernelStatus> {
    return Promise.resolve(this.#kernel.status());
  }
  spawnAgent(body: SpawnAgentBody): Promise<AgentView> {
    const { parent, ...manifest } = body;
    return Promise.resolve(this.#kernel.agents.spawn(manifest, { parent, actor: LOCAL_ACTOR }));
  }
  listAgents(query: Partial<AgentListQuery>): Promise<AgentView[]> {
    return Promise.resolve(this.#kernel.agents.list(query));
  }
  getAgent(ref: string): Promise<AgentView> {
    return Promise.resolve(this.#kernel.agents.get(ref));
  }
  stopAgent(ref: string): Promise<StopResult> {
    return this.#kernel.agents.stop(ref, { actor: LOCAL_ACTOR });
  }
  pauseAgent(ref: string): Promise<AgentView> {
    return Promise.resolve(this.#kernel.agents.pause(ref, { actor: LOCAL_ACTOR }));
  }
  resumeAgent(ref: string): Promise<AgentView> {
    return Promise.resolve(this.#kernel.agents.resume(ref, { actor: LOCAL_ACTOR }));
  }
  killAgent(ref: string): Promise<AgentView> {
    return Promise.resolve(this.#kernel.agents.kill(ref, { actor: LOCAL_ACTOR }));
  }
  purgeAgents(): Promise<number> {
    return Promise.resolve(this.#kernel.agents.purge({ actor: LOCAL_ACTOR }));
  }
  async message(
    ref: string,
    text: string,
    onEvent: (event: TurnEventView) => void,
  ): Promise<TurnResult> {
    const handle = this.#kernel.agents.send(ref, text, { actor: LOCAL_ACTOR });
    for await (const event of handle.events()) {
      onEvent({ type: event.type, data: event.data });
    }
    return await handle.result;
  }
  createToken(body: CreateTokenBody): Promise<TokenView & { token: string }> {
    return this.#kernel.tokens.create({ ...body, actor: LOCAL_ACTOR });
  }
  listTokens(): Promise<TokenView[]> {
    return Promise.resolve(this.#kernel.tokens.list());
  }
  revokeToken(id: string): Promise<TokenView> {
    return Promise.resolve(this.#kernel.tokens.revoke(id, { actor: LOCAL_ACTOR }));
  }
  verifyAudit(): Promise<AuditVerification> {
    return this.#kernel.verifyAudit();
  }
  securityPosture(): Promise<SecurityPosture> {
    return this.#kernel.securityPosture({ source: "local" });
  }
  listAudit(query: Partial<AuditListQuery>): Promise<AuditList> {
    return Promise.resolve(this.#kernel.audit.list(query));
  }
  budget(agent?: string): Promise<BudgetReport> {
    return Promise.resolve(this.#kernel.budgetReport(agent));
  }
  setAgentBudget(ref: string, patch: AgentBudgetPatch): Promise<AgentBudgetView> {
    const agent = this.#kernel.agents.get(ref);
    return Promise.resolve(this.#kernel.budget.setAgentCaps(agent, patch, { actor: LOCAL_ACTOR }));
  }
  setGlobalBudget(patch: GlobalBudgetPatch): Promise<GlobalCaps> {
    return Promise.resolve(this.#kernel.budget.setGlobalCaps(patch, { actor: LOCAL_ACTOR }));
  }
  listSkills(): Promise<SkillView[]> {
    return Promise.resolve(this.#kernel.skills.list());
  }
  showSkill(name: string): Promise<SkillView> {
    return Promise.resolve(this.#kernel.skills.get(name));
  }
  installSkill(dir: string): Promise<SkillView> {
    return this.#kernel.skills.install(dir, LOCAL_ACTOR);
  }
  removeSkill(name: string): Promise<void> {
    return this.#kernel.skills.remove(name, LOCAL_ACTOR);
  }
  listMcpServers(): Promise<McpServerView[]> {
    return Promise.resolve(this.#kernel.mcp.list());
  }
  addMcpServer(body: McpServerAddBody): Promise<McpServerView> {
    return Promise.resolve(this.#kernel.mcp.add(body, { actor: LOCAL_ACTOR }));
  }
  removeMcpServer(name: string): Promise<void> {
    return this.#kernel.mcp.remove(name, { actor: LOCAL_ACTOR });
  }
  testMcpServer(name: string): Promise<McpToolView[]> {
    return this.#kernel.mcp.test(name);
  }
  allowMcpServer(name: string): Promise<McpServerView> {
    return Promise.resolve(this.#kernel.mcp.allow(name, { actor: LOCAL_ACTOR }));
  }
  discoverA2a(url: string): Promise<A2aCardView> {
    return this.#kernel.a2a.discover(url);
  }
  createSchedule(body: CreateScheduleBody): Promise<ScheduleView> {
    return Promise.resolve(this.#kernel.schedules.create(body, { actor: LOCAL_ACTOR }));
  }
  listSchedules(query: Partial<ScheduleListQuery>): Promise<ScheduleView[]> {
    return Promise.resolve(this.#kernel.schedules.list(query));
  }
  getSchedule(id: string): Promise<ScheduleView> {
    return Promise.resolve(this.#kernel.schedules.get(id));
  }
  updateSchedule(id: string, edit: ScheduleEdit): Promise<ScheduleView> {
    return Promise.resolve(this.#kernel.schedules.update(id, edit, { actor: LOCAL_ACTOR }));
  }
  removeSchedule(id: string): Promise<void> {
    return Promise.resolve(this.#kernel.schedules.remove(id, { actor: LOCAL_ACTOR }));
  }
  runSchedule(id: string): Promise<ScheduleRunView> {
    return Promise.resolve(this.#kernel.schedules.runNow(id, { actor: LOCAL_ACTOR }));
  }
  scheduleRuns(id: string, query: Partial<ScheduleRunsQuery>): Promise<ScheduleRunList> {
    return Promise.resolve(this.#kernel.schedules.runs(id, query));
  }
  listApprovals(query: Partial<ApprovalListQuery>): Promise<ApprovalView[]> {
    return Promise.resolve(this.#kernel.approvals.list(query));
  }
  getApproval(id: string): Promise<ApprovalView> {
    return Promise.resolve(this.#kernel.approvals.get(id));
  }
  approve(id: string): Promise<ApprovalView> {
    return Promise.resolve(this.#kernel.approvals.approve(id, { actor: LOCAL_ACTOR }));
  }
  reject(id: string, reason?: string): Promise<ApprovalView> {
    return Promise.resolve(this.#kernel.approvals.reject(id, { actor: LOCAL_ACTOR, reason }));
  }
  listSessions(ref: string): Promise<SessionView[]> {
    return Promise.resolve(this.#kernel.sessions.list(ref, { limit: 500 }).sessions);
  }
  getSession(ref: string, sessionId: string): Promise<SessionView> {
    return Promise.resolve(this.#kernel.sessions.get(ref, sessionId));
  }
  sessionMessages(ref: string, sessionId: string, query: SessionQuery): Promise<SessionPage> {
    return Promise.resolve(this.#kernel.sessions.page(ref, sessionId, query));
  }
  labelSession(ref: string, sessionId: string, patch: SessionPatch): Promise<SessionView> {
    return Promise.resolve(
      this.#kernel.sessions.label(ref, sessionId, { ...patch, actor: LOCAL_ACTOR }),
    );
  }
  switchSession(ref: string, sessionId: string): Promise<SessionView> {
    return Promise.resolve(
      this.#kernel.sessions.switchTo(ref, sessionId, { actor: LOCAL_ACTOR }),
    );
  }
  exportSession(ref: string, sessionId: string, format: "json" | "md"): Promise<string> {
    return Promise.resolve(
      [...this.#kernel.sessions.export(ref, sessionId, { format }).chunks].join(""),
    );
  }
  compact(ref: string): Promise<CompactResult> {
    return this.#kernel.sessions.compact(ref, { actor: LOCAL_ACTOR });
  }
  async backup(target: string): Promise<number> {
    const snapshot = await this.#kernel.openBackup({ actor: LOCAL_ACTOR });
    return await writeBackupFile(snapshot.file.readable, target);
  }
  listHands(): Promise<HandView[]> {
    return Promise.resolve(this.#kernel.hands.list().map((h) => HandView.parse(h)));
  }
  getHand(id: string): Promise<HandDetail> {
    return Promise.resolve(HandDetail.parse(this.#kernel.hands.get(id)));
  }
  activateHand(id: string, body: ActivateHandBody): Promise<HandInstanceView> {
    return Promise.resolve(
      HandInstanceView.parse(this.#kernel.hands.activate(id, body, { actor: LOCAL_ACTOR })),
    );
  }
  listHandInstances(query: Partial<HandInstanceQuery>): Promise<HandInstanceView[]> {
    return Promise.resolve(
      this.#kernel.hands.instances(query).map((i) => HandInstanceView.parse(i)),
    );
  }
  getHandInstance(ref: string): Promise<HandInstanceView> {
    return Promise.resolve(HandInstanceView.parse(this.#kernel.hands.instance(ref)));
  }
  pauseHandInstance(ref: string): Promise<HandInstanceView> {
    return Promise.resolve(
      HandInstanceView.parse(this.#kernel.hands.pause(ref, { actor: LOCAL_ACTOR })),
    );
  }
  resumeHandInstance(ref: string): Promise<HandInstanceView> {
    return Promise.resolve(
      HandInstanceView.parse(this.#kernel.hands.resume(ref, { actor: LOCAL_ACTOR })),
    );
  }
  runHandInstance(ref: string): Promise<ScheduleRunView> {
    return Promise.resolve(this.#kernel.hands.run(ref, { actor: LOCAL_ACTOR }));
  }
  deactivateHandInstance(ref: string): Promise<HandInstanceView> {
    return Promise.resolve(
      HandInstanceView.parse(this.#kernel.hands.deactivate(ref, { actor: LOCAL_ACTOR })),
    );
  }
  listReports(query: Partial<ReportListQuery>): Promise<ReportSummary[]> {
    return Promise.resolve(this.#kernel.reports.list(query).map((r) => ReportSummary.parse(r)));
  }
  getReport(id: string): Promise<ReportView> {
    return Promise.resolve(ReportView.parse(this.#kernel.reports.get(id)));
  }
}
