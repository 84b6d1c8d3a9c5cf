/**
 * Agents: lifecycle, registry with per-agent turn queues, and the agent loop.
 *
 * @module
 */
export { type AbortKind, buildPrompt, runTurn, type TurnContext } from "./agent_loop.ts";
export { assertTransition, canTransition } from "./lifecycle.ts";
export {
  AgentRegistry,
  type AgentRegistryDeps,
  type ManifestSchedules,
  type TurnHandle,
} from "./registry.ts";
export type { EphemeralInput, EphemeralTurn } from "./ephemeral_turns.ts";
export { EphemeralSession, storedSession, type TurnSession } from "./turn_session.ts";
