/**
 * Agents: lifecycle, registry with per-agent turn queues, and the agent loop.
 *
 * The path of one turn, file by file:
 *
 * ```text
 * registry.ts     AgentRegistry.send(): checks state, records the turn, enqueues
 *   └ turn_queue.ts   TurnQueue: one turn at a time per agent; owns the abort
 *       └ turn_runner.ts  runQueuedTurn → runAgentTurn: driver + retries and
 *         │               fallbacks, limits; pauses the agent on a budget stop
 *         └ agent_loop.ts   runTurn: load session, build prompt, then loop ┐
 *             ├ model_call.ts  callModel: session_repair → context_fit →  │
 *             │                reserve budget → stream → settle usage      │
 *             ├ tool_round.ts  runToolRound: tool cap, loop_guard, run      │
 *             │                calls, store results in order ──────────────┘
 *             └ until the model ends its turn (or a cap, stop or error):
 *               finishTurn + `done` event
 * turn_end.ts     closeTurn / failTurn: the end of a turn the loop never ran
 *                 or did not finish (cancelled in the queue, crash, no start)
 * ```
 *
 * Ephemeral turns (ephemeral_turns.ts, the OpenAI-compatible surface) enter at
 * runAgentTurn beside the queue, with an EphemeralSession (turn_session.ts);
 * turn_events.ts follows any turn's events to its `done`.
 *
 * @module
 */
export { type AbortKind, buildPrompt, runTurn, type TurnContext } from "./agent_loop.ts";
export { assertTransition, canTransition } from "./lifecycle.ts";
export { compareVersions } from "./agent_update.ts";
export {
  AgentRegistry,
  type AgentRegistryDeps,
  type ManifestAdmission,
  type ManifestSchedules,
  type TurnHandle,
} from "./registry.ts";
export type { EphemeralInput, EphemeralTurn } from "./ephemeral_turns.ts";
export {
  EphemeralSession,
  storedSession,
  SUMMARY_HEADING,
  type TurnSession,
  withSummary,
} from "./turn_session.ts";
export { type CompactionDeps, compactionDue, compactSession } from "./compaction.ts";
export { type SessionExportFile, SessionService, type SessionServiceDeps } from "./sessions.ts";
