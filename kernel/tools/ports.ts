/**
 * What tools need from the rest of the kernel, as interfaces, so this folder
 * depends on no concrete subsystem: an audit sink for decisions and calls,
 * a directory of agents for the agent-to-agent tools, agent memory, and the
 * approval gate.
 *
 * @module
 */
import type { AgentView, ApprovalGate, ScheduleView, TurnResult } from "../types.ts";
import type { TaintSource } from "../security/mod.ts";
import type { ToolRisk } from "./define.ts";

/** One audit record as the tool registry writes it. */
export interface AuditRecord {
  /** e.g. `capability.allowed`, `capability.denied`, `tool.call`. */
  action: string;
  /** Who acted, e.g. `agent:<id>`. */
  actor: string;
  agent_id?: string | null;
  /** Structured detail; already redacted, never a full tool output. */
  detail?: Record<string, unknown>;
}

/** Where audit records go (the hash-chained audit log implements it). */
export interface AuditSink {
  /** Appends one record; a throw means it was not recorded. */
  append(record: AuditRecord): unknown;
}

/** The agents the agent-to-agent tools can see and message. */
export interface AgentDirectory {
  /** Agents, newest first (killed ones included; callers filter). */
  list(options?: { limit?: number }): AgentView[];
  /** The agent with this id or name; throws `not_found` otherwise. */
  get(ref: string): AgentView;
  /**
   * Queues a message as a new turn of `ref`, as part of the call chain
   * `chain` (whose last agent sends it; the kernel signs it as that agent's).
   */
  send(
    ref: string,
    text: string,
    options: { chain: readonly string[] },
  ):
    | { turn_id: string; result: Promise<TurnResult> }
    | Promise<{ turn_id: string; result: Promise<TurnResult> }>;
  /**
   * Spawns an agent as a child of `parent`: its capabilities must be covered
   * by the parent's (`capability_exceeded` otherwise).
   */
  spawn(input: unknown, options: { parent: string; actor: string }): AgentView;
  /** Kills the agent and its descendants. */
  kill(ref: string, options: { reason?: string; actor: string }): AgentView;
}

/** One remembered entry. */
export interface MemoryRecord {
  key: string;
  text: string;
  created_at: string;
  updated_at: string;
}

/** Per-agent memory, as the memory tools use it. */
export interface AgentMemory {
  /** Stores `text` under `key`, replacing what was there; says whether the key is new. */
  store(agentId: string, key: string, text: string): { created: boolean };
  /** The entry under `key`, or entries matching every word of `query`, newest first. */
  recall(agentId: string, options: { key?: string; query?: string; limit: number }): MemoryRecord[];
  /** Remembers a fact (validated; `invalid_input` otherwise); returns it as JSON-able data. */
  remember(
    agent: AgentView,
    body: unknown,
    options: { source: string; turnId: string; signal: AbortSignal },
  ): Promise<{ id: number; scope: string; text: string }>;
  /** Facts for `query` (hybrid when embeddings exist), or the newest without one. */
  recallFacts(
    agent: AgentView,
    options: { query?: string; limit: number; turnId: string; signal: AbortSignal },
  ): Promise<{ mode: string; facts: { id: number; text: string; [k: string]: unknown }[] }>;
  /** The agent's own tool calls from the audit log, and figures per tool. */
  toolHistory(agentId: string, query: unknown): unknown;
  /** The knowledge graph: add, relate, query (each validates its input). */
  knowledge: {
    add(agentId: string, body: unknown): unknown;
    relate(agentId: string, body: unknown): unknown;
    query(agentId: string, body: unknown): unknown;
  };
}

/** A gated tool call, as the tool registry hands it to the approvals. */
export interface GatedCall {
  agent: AgentView;
  turnId: string;
  callId: string;
  tool: string;
  /** The validated arguments the handler runs with once approved. */
  args: Record<string, unknown>;
  risk: ToolRisk;
  /** Which rule gated it, and why, in words. */
  gate: ApprovalGate;
  rule: string;
  /** Where the turn's outside content came from, when a taint gate made it wait. */
  taint?: readonly TaintSource[];
}

/** How a gated call's wait ended; only `approved` lets it run. */
export type ApprovalOutcome =
  | { status: "approved"; id: string; by: string }
  | { status: "rejected"; id: string; by: string; reason: string | null }
  | { status: "expired"; id: string; reason: string }
  | { status: "cancelled"; id: string };

/** The approval gate in front of tool handlers (the kernel's approval service implements it). */
export interface ToolApprovals {
  /** Which rule makes this agent's calls to `tool` wait, or undefined when they need not. */
  gateOf(
    agent: AgentView,
    tool: { name: string; risk: ToolRisk; needsApproval: boolean },
  ): { gate: ApprovalGate; rule: string } | undefined;
  /**
   * Records a request and waits for its decision or timeout; when `signal`
   * aborts first, the request is cancelled and so is the call. Never throws
   * for a decision; a throw means nothing could be recorded.
   */
  wait(call: GatedCall, signal: AbortSignal): Promise<ApprovalOutcome>;
}

/** What `agent_send` reads of the approvals: whether a turn waits on one. */
export interface PendingApprovalLookup {
  /** The pending request of turn `turnId`, if it is waiting on one. */
  pendingForTurn(turnId: string): { id: string; tool: string; expires_at: string } | undefined;
}

/** An agent's own schedules, as the schedule tools use them (`kernel.schedules` implements it). */
export interface AgentSchedules {
  /** Creates a schedule; `byAgent` limits it to that agent's own, at most every minute. */
  create(input: unknown, options: { actor: string; byAgent: string }): ScheduleView;
  /** The schedules that message an agent. */
  list(query: { agent: string }): ScheduleView[];
  /** Deletes a schedule the agent `byAgent` made. */
  remove(id: string, options: { actor: string; byAgent: string }): void;
}
