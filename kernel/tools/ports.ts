/**
 * What tools need from the rest of the kernel, as interfaces, so this folder
 * depends on no concrete subsystem: an audit sink for decisions and calls,
 * and a directory of agents for the agent-to-agent tools.
 *
 * @module
 */
import type { AgentView, TurnResult } from "../types.ts";

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
}
