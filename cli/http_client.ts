/**
 * The CLI's client over a running server's HTTP API, authenticated with the
 * local credential from `server.json`, through the one API client the
 * islands use too (islands/api_fetch.ts). Responses are validated with the
 * same schemas the server uses; API errors become `TalonError`s with their
 * code, fields and details.
 *
 * @module
 */
import { EventSourceParserStream } from "eventsource-parser/stream";
import { z } from "zod";
import { TalonError, type TalonErrorCode } from "../kernel/mod.ts";
import {
  type ActivateHandBody,
  type AgentBudgetPatch,
  AgentBudgetView,
  AgentList,
  type AgentListQuery,
  AgentView,
  ApprovalList,
  type ApprovalListQuery,
  ApprovalView,
  AuditList,
  type AuditListQuery,
  AuditVerification,
  BudgetReport,
  CreatedToken,
  type CreateScheduleBody,
  type CreateTokenBody,
  type GlobalBudgetPatch,
  GlobalCaps,
  HandDetail,
  HandInstanceList,
  type HandInstanceQuery,
  HandInstanceView,
  HandList,
  type HandView,
  KernelStatus,
  PurgeResult,
  ReportList,
  type ReportListQuery,
  type ReportSummary,
  ReportView,
  type ScheduleEdit,
  ScheduleList,
  type ScheduleListQuery,
  ScheduleRunList,
  type ScheduleRunsQuery,
  ScheduleRunView,
  ScheduleView,
  SkillList,
  SkillView,
  type SpawnAgentBody,
  StopResult,
  TokenList,
  TokenView,
  TurnResult,
} from "../kernel/types.ts";
import { ApiCallError, apiFetch, BAD_RESPONSE, NETWORK_FAILURE } from "../islands/api_fetch.ts";
import type { TalonClient, TurnEventView } from "./client.ts";

/** A client of a running Talon server. */
export class HttpClient implements TalonClient {
  readonly mode = "remote";
  readonly #base: string;
  readonly #credential: string;

  constructor(baseUrl: string, credential: string) {
    this.#base = baseUrl;
    this.#credential = credential;
  }

  async #fetch(method: string, path: string, body?: unknown): Promise<Response> {
    try {
      return await apiFetch(method, path, {
        base: this.#base,
        headers: { authorization: `Bearer ${this.#credential}` },
        body: body === undefined ? undefined : { json: body },
      });
    } catch (error) {
      throw this.#talonError(error, `${method} ${path}`);
    }
  }

  /** The `TalonError` for a failed call: the server's code, message, fields and details. */
  #talonError(error: unknown, call: string): unknown {
    if (!(error instanceof ApiCallError)) return error;
    if (error.code === NETWORK_FAILURE) {
      return new TalonError(
        "server_unreachable",
        `the Talon server at ${this.#base} does not answer (${
          (error.cause as Error | undefined)?.message ?? error.message
        }); is it still running?`,
        { cause: error },
      );
    }
    if (error.code === BAD_RESPONSE) {
      return new TalonError(
        "server_unreachable",
        `the server answered ${error.status} to ${call}`,
        { cause: error },
      );
    }
    return new TalonError(error.code as TalonErrorCode, error.message, {
      cause: error,
      fields: error.fields,
      details: error.details,
    });
  }

  async #json<S extends z.ZodType>(
    schema: S,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<z.infer<S>> {
    const response = await this.#fetch(method, path, body);
    return schema.parse(await response.json());
  }

  status(): Promise<KernelStatus> {
    return this.#json(KernelStatus, "GET", "/api/status");
  }
  spawnAgent(body: SpawnAgentBody): Promise<AgentView> {
    return this.#json(AgentView, "POST", "/api/agents", body);
  }
  async listAgents(query: Partial<AgentListQuery>): Promise<AgentView[]> {
    return (await this.#json(AgentList, "GET", `/api/agents${queryString(query)}`)).agents;
  }
  getAgent(ref: string): Promise<AgentView> {
    return this.#json(AgentView, "GET", `/api/agents/${encodeURIComponent(ref)}`);
  }
  stopAgent(ref: string): Promise<StopResult> {
    return this.#json(StopResult, "POST", `/api/agents/${encodeURIComponent(ref)}/stop`);
  }
  pauseAgent(ref: string): Promise<AgentView> {
    return this.#json(AgentView, "POST", `/api/agents/${encodeURIComponent(ref)}/pause`);
  }
  resumeAgent(ref: string): Promise<AgentView> {
    return this.#json(AgentView, "POST", `/api/agents/${encodeURIComponent(ref)}/resume`);
  }
  killAgent(ref: string): Promise<AgentView> {
    return this.#json(AgentView, "DELETE", `/api/agents/${encodeURIComponent(ref)}`);
  }
  async purgeAgents(): Promise<number> {
    return (await this.#json(PurgeResult, "POST", "/api/agents/purge")).purged;
  }
  async message(
    ref: string,
    text: string,
    onEvent: (event: TurnEventView) => void,
  ): Promise<TurnResult> {
    const response = await this.#fetch(
      "POST",
      `/api/agents/${encodeURIComponent(ref)}/message/stream`,
      { text },
    );
    const events = response.body!
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(new EventSourceParserStream());
    let result: TurnResult | undefined;
    for await (const event of events) {
      const data = JSON.parse(event.data);
      onEvent({ type: event.event ?? "message", data });
      if (event.event === "done") result = TurnResult.parse(data);
    }
    if (!result) {
      throw new TalonError(
        "server_unreachable",
        "the server closed the stream before the turn finished; see `talon agent show` for its state",
      );
    }
    return result;
  }
  createToken(body: CreateTokenBody): Promise<CreatedToken> {
    return this.#json(CreatedToken, "POST", "/api/tokens", body);
  }
  async listTokens(): Promise<TokenView[]> {
    return (await this.#json(TokenList, "GET", "/api/tokens")).tokens;
  }
  revokeToken(id: string): Promise<TokenView> {
    return this.#json(TokenView, "DELETE", `/api/tokens/${encodeURIComponent(id)}`);
  }
  async listSkills(): Promise<SkillView[]> {
    return (await this.#json(SkillList, "GET", "/api/skills")).skills;
  }
  showSkill(name: string): Promise<SkillView> {
    return this.#json(SkillView, "GET", `/api/skills/${encodeURIComponent(name)}`);
  }
  installSkill(dir: string): Promise<SkillView> {
    return this.#json(SkillView, "POST", "/api/skills", { dir });
  }
  async removeSkill(name: string): Promise<void> {
    await this.#json(
      z.object({ removed: z.string() }),
      "DELETE",
      `/api/skills/${encodeURIComponent(name)}`,
    );
  }
  verifyAudit(): Promise<AuditVerification> {
    return this.#json(AuditVerification, "GET", "/api/audit/verify");
  }
  listAudit(query: Partial<AuditListQuery>): Promise<AuditList> {
    return this.#json(AuditList, "GET", `/api/audit/recent${queryString(query)}`);
  }
  budget(agent?: string): Promise<BudgetReport> {
    return this.#json(BudgetReport, "GET", `/api/budget${queryString({ agent })}`);
  }
  setAgentBudget(ref: string, patch: AgentBudgetPatch): Promise<AgentBudgetView> {
    const path = `/api/budget/agents/${encodeURIComponent(ref)}`;
    return this.#json(AgentBudgetView, "PUT", path, patch);
  }
  setGlobalBudget(patch: GlobalBudgetPatch): Promise<GlobalCaps> {
    return this.#json(GlobalCaps, "PUT", "/api/budget", patch);
  }
  createSchedule(body: CreateScheduleBody): Promise<ScheduleView> {
    return this.#json(ScheduleView, "POST", "/api/schedules", body);
  }
  async listSchedules(query: Partial<ScheduleListQuery>): Promise<ScheduleView[]> {
    return (await this.#json(ScheduleList, "GET", `/api/schedules${queryString(query)}`))
      .schedules;
  }
  getSchedule(id: string): Promise<ScheduleView> {
    return this.#json(ScheduleView, "GET", schedulePath(id));
  }
  updateSchedule(id: string, edit: ScheduleEdit): Promise<ScheduleView> {
    return this.#json(ScheduleView, "PATCH", schedulePath(id), edit);
  }
  async removeSchedule(id: string): Promise<void> {
    await this.#fetch("DELETE", schedulePath(id));
  }
  runSchedule(id: string): Promise<ScheduleRunView> {
    return this.#json(ScheduleRunView, "POST", `${schedulePath(id)}/run`);
  }
  scheduleRuns(id: string, query: Partial<ScheduleRunsQuery>): Promise<ScheduleRunList> {
    return this.#json(ScheduleRunList, "GET", `${schedulePath(id)}/runs${queryString(query)}`);
  }
  async listApprovals(query: Partial<ApprovalListQuery>): Promise<ApprovalView[]> {
    return (await this.#json(ApprovalList, "GET", `/api/approvals${queryString(query)}`))
      .approvals;
  }
  getApproval(id: string): Promise<ApprovalView> {
    return this.#json(ApprovalView, "GET", approvalPath(id));
  }
  approve(id: string): Promise<ApprovalView> {
    return this.#json(ApprovalView, "POST", `${approvalPath(id)}/approve`, {});
  }
  reject(id: string, reason?: string): Promise<ApprovalView> {
    return this.#json(ApprovalView, "POST", `${approvalPath(id)}/reject`, { reason });
  }
  async listHands(): Promise<HandView[]> {
    return (await this.#json(HandList, "GET", "/api/hands")).hands;
  }
  getHand(id: string): Promise<HandDetail> {
    return this.#json(HandDetail, "GET", `/api/hands/${encodeURIComponent(id)}`);
  }
  activateHand(id: string, body: ActivateHandBody): Promise<HandInstanceView> {
    const path = `/api/hands/${encodeURIComponent(id)}/activate`;
    return this.#json(HandInstanceView, "POST", path, body);
  }
  async listHandInstances(query: Partial<HandInstanceQuery>): Promise<HandInstanceView[]> {
    const path = `/api/hand-instances${queryString(query)}`;
    return (await this.#json(HandInstanceList, "GET", path)).instances;
  }
  getHandInstance(ref: string): Promise<HandInstanceView> {
    return this.#json(HandInstanceView, "GET", instancePath(ref));
  }
  pauseHandInstance(ref: string): Promise<HandInstanceView> {
    return this.#json(HandInstanceView, "POST", `${instancePath(ref)}/pause`);
  }
  resumeHandInstance(ref: string): Promise<HandInstanceView> {
    return this.#json(HandInstanceView, "POST", `${instancePath(ref)}/resume`);
  }
  runHandInstance(ref: string): Promise<ScheduleRunView> {
    return this.#json(ScheduleRunView, "POST", `${instancePath(ref)}/run`);
  }
  deactivateHandInstance(ref: string): Promise<HandInstanceView> {
    return this.#json(HandInstanceView, "DELETE", instancePath(ref));
  }
  async listReports(query: Partial<ReportListQuery>): Promise<ReportSummary[]> {
    return (await this.#json(ReportList, "GET", `/api/reports${queryString(query)}`)).reports;
  }
  getReport(id: string): Promise<ReportView> {
    return this.#json(ReportView, "GET", `/api/reports/${encodeURIComponent(id)}`);
  }
}

function instancePath(ref: string): string {
  return `/api/hand-instances/${encodeURIComponent(ref)}`;
}

function schedulePath(id: string): string {
  return `/api/schedules/${encodeURIComponent(id)}`;
}

function approvalPath(id: string): string {
  return `/api/approvals/${encodeURIComponent(id)}`;
}

/** `?k=v&…` of the defined entries of `query`, or "" when there are none. */
function queryString(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined) params.set(k, String(v));
  }
  return params.size ? `?${params}` : "";
}
