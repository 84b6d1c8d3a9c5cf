/**
 * The agent state machine: Created → Running ⇄ Paused → Killed, plus
 * Suspended (kernel stopped while Running; restored to Running on boot).
 *
 * @module
 */
import { TalonError } from "../errors.ts";
import type { AgentState } from "../types.ts";

const NEXT: Record<AgentState, readonly AgentState[]> = {
  created: ["running", "killed"],
  running: ["paused", "suspended", "killed"],
  paused: ["running", "killed"],
  suspended: ["running", "killed"],
  killed: [],
};

/** True when an agent may move from `from` to `to`. */
export function canTransition(from: AgentState, to: AgentState): boolean {
  return NEXT[from].includes(to);
}

/** Throws `illegal_transition` (naming both states) unless the move is legal. */
export function assertTransition(
  name: string,
  from: AgentState,
  to: AgentState,
): void {
  if (canTransition(from, to)) return;
  const why = from === "killed"
    ? "killed is final; spawn a new agent"
    : from === to
    ? `it is already ${from}`
    : `allowed from ${from}: ${NEXT[from].join(", ")}`;
  throw new TalonError(
    "illegal_transition",
    `agent "${name}" cannot go from ${from} to ${to}: ${why}`,
    { details: { from, to } },
  );
}

/** Throws `illegal_transition` unless the agent is Running, saying what to do instead. */
export function assertAcceptsMessages(agent: { name: string; state: AgentState }): void {
  if (agent.state === "running") return;
  const hint = agent.state === "paused"
    ? "resume it first"
    : agent.state === "killed"
    ? "killed agents accept no messages; spawn a new one"
    : "wait for it to start";
  throw new TalonError(
    "illegal_transition",
    `agent "${agent.name}" is ${agent.state} and accepts no messages; ${hint}`,
    { details: { state: agent.state } },
  );
}
