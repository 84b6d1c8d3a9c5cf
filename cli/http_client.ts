/**
 * The CLI's client over a running server's HTTP API, authenticated with the
 * local credential from `server.json`, through the one API client the
 * islands use too (islands/lib/api_fetch.ts). Responses are validated with the
 * same schemas the server uses; API errors become `TalonError`s with their
 * code, fields and details.
 *
 * @module
 */
import { EventSourceParserStream } from "eventsource-parser/stream";
import { z } from "zod";
import { TalonError, type TalonErrorCode, writeBackupFile } from "../kernel/mod.ts";
import {
  A2aCardView,
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
  CompactResult,
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
  type McpServerAddBody,
  McpServerList,
  McpServerRemoved,
  McpServerView,
  McpToolList,
  type McpToolView,
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
  SecurityPosture,
  SessionList,
  SessionPage,
  type SessionPatch,
  type SessionQuery,
  SessionView,
  SkillList,
  SkillView,
  type SpawnAgentBody,
  StopResult,
  TokenList,
  TokenView,
  TurnResult,
} from "../kernel/types.ts";
import { ApiCallError, apiFetch, BAD_RESPONSE, NETWORK_FAILURE } from "../islands/lib/api_fetch.ts";
import type { TalonClient, TurnEventView } from "./client.ts";
import { httpMemoryClient, type MemoryClient } from "./memory_client.ts";

/** A client of a running Talon server. */
export class HttpClient implements TalonClient {
  readonly mode = "remote";
  readonly #base: string;
  readonly #credential: string;
  readonly memory: MemoryClient;

  constructor(baseUrl: string, credential: string) {
    this.#base = baseUrl;
    this.#credential = credential;
    this.memory = httpMemoryClient((schema, method, path, body) =>
      this.#json(schema, method, path, body)
    );
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

  async #json<S extends z.core.$ZodType>(
    schema: S,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<z.output<S>> {
    const response = await this.#fetch(method, path, body);
    return z.parse(schema, await response.json());
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
  async listMcpServers(): Promise<McpServerView[]> {
    return (await this.#json(McpServerList, "GET", "/api/mcp/servers")).servers;
  }
  addMcpServer(body: McpServerAddBody): Promise<McpServerView> {
    return this.#json(McpServerView, "POST", "/api/mcp/servers", body);
  }
  async removeMcpServer(name: string): Promise<void> {
    await this.#json(McpServerRemoved, "DELETE", `/api/mcp/servers/${encodeURIComponent(name)}`);
  }
  async testMcpServer(name: string): Promise<McpToolView[]> {
    const path = `/api/mcp/servers/${encodeURIComponent(name)}/test`;
    return (await this.#json(McpToolList, "POST", path)).tools;
  }
  allowMcpServer(name: string): Promise<McpServerView> {
    const path = `/api/mcp/servers/${encodeURIComponent(name)}/allow`;
    return this.#json(McpServerView, "POST", path);
  }
  discoverA2a(url: string): Promise<A2aCardView> {
    return this.#json(A2aCardView, "POST", "/api/a2a/discover", { url });
  }
  verifyAudit(): Promise<AuditVerification> {
    return this.#json(AuditVerification, "GET", "/api/audit/verify");
  }
  securityPosture(): Promise<SecurityPosture> {
    return this.#json(SecurityPosture, "GET", "/api/security/audit");
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
  async listSessions(ref: string): Promise<SessionView[]> {
    const path = `/api/agents/${encodeURIComponent(ref)}/sessions?limit=500`;
    return (await this.#json(SessionList, "GET", path)).sessions;
  }
  getSession(ref: string, sessionId: string): Promise<SessionView> {
    return this.#json(SessionView, "GET", sessionPath(ref, sessionId));
  }
  sessionMessages(ref: string, sessionId: string, query: SessionQuery): Promise<SessionPage> {
    const path = `${sessionPath(ref, sessionId)}/messages${queryString(query)}`;
    return this.#json(SessionPage, "GET", path);
  }
  labelSession(ref: string, sessionId: string, patch: SessionPatch): Promise<SessionView> {
    return this.#json(SessionView, "PATCH", sessionPath(ref, sessionId), patch);
  }
  switchSession(ref: string, sessionId: string): Promise<SessionView> {
    return this.#json(SessionView, "POST", `${sessionPath(ref, sessionId)}/switch`);
  }
  async exportSession(ref: string, sessionId: string, format: "json" | "md"): Promise<string> {
    const path = `${sessionPath(ref, sessionId)}/export${queryString({ format })}`;
    return await (await this.#fetch("GET", path)).text();
  }
  compact(ref: string): Promise<CompactResult> {
    return this.#json(CompactResult, "POST", `/api/agents/${encodeURIComponent(ref)}/compact`);
  }
  async backup(target: string): Promise<number> {
    const response = await this.#fetch("GET", "/api/backup");
    return await writeBackupFile(response.body!, target);
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

function sessionPath(ref: string, sessionId: string): string {
  return `/api/agents/${encodeURIComponent(ref)}/sessions/${encodeURIComponent(sessionId)}`;
}

/** `?k=v&…` of the defined entries of `query`, or "" when there are none. */
function queryString(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined) params.set(k, String(v));
  }
  return params.size ? `?${params}` : "";
}
