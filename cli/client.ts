/**
 * What CLI commands need from Talon, behind one interface with two
 * implementations: in-process over a booted kernel, and over the HTTP API of
 * a running server. Both return the same shapes, so output is identical.
 *
 * @module
 */
import type { Kernel } from "../kernel/mod.ts";
import type {
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
  CreateScheduleBody,
  CreateTokenBody,
  GlobalBudgetPatch,
  GlobalCaps,
  KernelStatus,
  ScheduleEdit,
  ScheduleListQuery,
  ScheduleRunList,
  ScheduleRunsQuery,
  ScheduleRunView,
  ScheduleView,
  SkillView,
  SpawnAgentBody,
  StopResult,
  TokenView,
  TurnResult,
} from "../kernel/types.ts";

/** A streamed event of a turn, as the CLI sees it. */
export interface TurnEventView {
  type: string;
  data: unknown;
}

/** Everything the CLI does. */
export interface TalonClient {
  readonly mode: "local" | "remote";
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
}

/** How the audit log names the CLI acting in-process (the same as through the server). */
const LOCAL_ACTOR = "local:local";

/** A client over an in-process kernel. */
export class LocalClient implements TalonClient {
  readonly mode = "local";
  readonly #kernel: Kernel;

  constructor(kernel: Kernel) {
    this.#kernel = kernel;
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
}
