/**
 * What tools need from the rest of the kernel, as interfaces, so this folder
 * depends on no concrete subsystem: an audit sink for decisions and calls,
 * a directory of agents for the agent-to-agent tools, and agent memory.
 *
 * @module
 */
import type { AgentView, ScheduleView, TurnResult } from "../types.ts";

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
  /** Queues a message as a new turn of `ref`, as part of the call chain `chain`. */
  send(
    ref: string,
    text: string,
    options: { chain: readonly string[] },
  ): { result: Promise<TurnResult> };
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
