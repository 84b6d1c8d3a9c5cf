/**
 * Runs one queued turn of an agent: its driver behind our retry and fallback
 * policy, the configured limits, and — when a budget cap refused a call —
 * pausing the agent so it stops spending until someone resumes it.
 *
 * @module
 */
import type { TalonConfig } from "../types.ts";
import type { EventBus } from "../events/mod.ts";
import { chatWithFallback, type ProviderRegistry } from "../llm/mod.ts";
import type { Logger } from "../log.ts";
import type { BudgetLedger } from "../scheduler/mod.ts";
import { type AuditChain, SecretSet } from "../security/mod.ts";
import * as store from "../store/mod.ts";
import { NO_TOOLS, type ToolExecutor } from "../tools/mod.ts";
import type { AgentView, TurnResult } from "../types.ts";
import { runTurn } from "./agent_loop.ts";
import { compactionDue, compactSession } from "./compaction.ts";
import type { MemoryRecaller } from "./memory_slot.ts";
import type { ChatFn } from "./model_call.ts";
import type { QueuedTurn } from "./turn_queue.ts";
import { startTurnTaint } from "./turn_taint.ts";
import { storedSession, type TurnSession } from "./turn_session.ts";

/** What running a turn needs from the kernel. */
export interface TurnRunnerDeps {
  db: store.Database;
  bus: EventBus;
  log: Logger;
  providers: ProviderRegistry;
  config: TalonConfig;
  ledger: BudgetLedger;
  audit: Pick<AuditChain, "append">;
  /** Context windows by model, from the model catalog. */
  models?: { contextWindow(model: string): number | undefined };
  tools?: ToolExecutor;
  /** Skills agents attach: loaded on demand, their text added to the system prompt. */
  skills?: SkillAttachments;
  /** Recalls facts into each prompt's memory slot. */
  memory?: MemoryRecaller;
  /** Secrets redacted from the turn's events and session; key shapes only when absent. */
  secrets?: SecretSet;
  /** Verifies the message that started a turn (an agent's signature); a throw refuses the turn. */
  receive?: (agentId: string, turnId: string) => Promise<void>;
}

/** What the agent loop needs of skills. */
export interface SkillAttachments {
  /** Loads the named skills (and their tools); throws when one is unknown or refused. */
  attach(names: readonly string[]): void;
  /** The prompt text of the named, loaded skills; "" when none. */
  promptFor(names: readonly string[]): string;
}

/**
 * Runs `turn` of the Running `agent` to its end, on the stored session it
 * joined — compacted first when its prompt has passed the threshold.
 */
export async function runQueuedTurn(
  deps: TurnRunnerDeps,
  agent: AgentView,
  turn: QueuedTurn,
  signal: AbortSignal,
): Promise<TurnResult> {
  await deps.receive?.(agent.id, turn.turnId);
  const sessionId = store.getTurn(deps.db, turn.turnId)?.session_id ??
    store.transaction(deps.db, () => store.ensureCurrentSession(deps.db, agent.id));
  await compactIfDue(deps, agent, { sessionId, turnId: turn.turnId, signal });
  return runAgentTurn(deps, agent, {
    turnId: turn.turnId,
    chain: turn.chain,
    signal,
    session: storedSession(deps.db, {
      agentId: agent.id,
      sessionId,
      historyLimit: deps.config.agents.max_history_messages,
    }),
  });
}

/**
 * Compacts the session when it is due. A failure (a budget refusal, a
 * provider error) is logged and the turn goes on: its prompt is still fitted
 * to the context window, and its own call meets the same budget.
 */
async function compactIfDue(
  deps: TurnRunnerDeps,
  agent: AgentView,
  at: { sessionId: string; turnId: string; signal: AbortSignal },
): Promise<void> {
  try {
    if (!compactionDue(deps, agent, at.sessionId)) return;
    await compactSession(deps, agent, { ...at, trigger: "auto" });
  } catch (error) {
    deps.log.warn("automatic compaction failed; the turn goes on uncompacted", {
      agent_id: agent.id,
      session_id: at.sessionId,
      error,
    });
  }
}

/**
 * Runs one turn of `agent` on `session` with its driver behind the retry and
 * fallback policy and the configured limits; a budget refusal pauses it.
 */
export async function runAgentTurn(
  deps: TurnRunnerDeps,
  agent: AgentView,
  turn: { turnId: string; chain: readonly string[]; signal: AbortSignal; session: TurnSession },
): Promise<TurnResult> {
  const { db, bus, log, config, providers } = deps;
  const skills = agent.manifest.skills;
  let skillPrompt = "";
  if (skills.length > 0 && deps.skills) {
    try {
      deps.skills.attach(skills);
    } catch (error) {
      log.warn("an attached skill could not be loaded", { agent_id: agent.id, error });
    }
    skillPrompt = deps.skills.promptFor(skills);
  }
  const driver = providers.driver(agent.provider);
  const chat: ChatFn = (request) =>
    chatWithFallback(driver, request, {
      policy: providers.retryPolicy,
      fallbackModels: agent.manifest.fallback_models.map((m) => providers.catalog.canonical(m)),
      onRetry: (info) =>
        log.warn("LLM call failed; retrying", {
          agent_id: agent.id,
          model: info.model,
          attempt: info.attempt,
          delay_ms: info.delayMs,
          error: { code: info.error.code, message: info.error.message },
        }),
    });
  const result = await runTurn({
    db,
    bus,
    log,
    agent,
    turnId: turn.turnId,
    session: turn.session,
    chat,
    tools: deps.tools ?? NO_TOOLS,
    ledger: deps.ledger,
    secrets: deps.secrets ?? KEY_SHAPES,
    maxContinuations: config.agents.max_continuations,
    contextWindow: deps.models?.contextWindow(agent.model),
    signal: turn.signal,
    chain: turn.chain,
    taint: startTurnTaint(deps, { agentId: agent.id, turnId: turn.turnId, chain: turn.chain }),
    maxIterations: Math.min(
      agent.manifest.resources.max_iterations ?? Infinity,
      config.agents.max_iterations,
    ),
    skillPrompt,
    memory: deps.memory,
  });
  if (result.error?.code === "budget_exceeded") pauseForBudget(deps, agent.id, result);
  return result;
}

const KEY_SHAPES = new SecretSet();

/** A refused call pauses its agent, so it stops spending until resumed. */
function pauseForBudget(deps: TurnRunnerDeps, agentId: string, result: TurnResult): void {
  const agent = store.getAgent(deps.db, agentId);
  if (agent?.state !== "running") return;
  store.transaction(deps.db, () => {
    store.setAgentState(deps.db, agentId, "paused");
    deps.audit.append({
      action: "budget.exceeded",
      actor: "system",
      agent_id: agentId,
      detail: { turn_id: result.turn_id, message: result.error?.message ?? "" },
    });
  });
  deps.bus.publish("agent.lifecycle", {
    from: "running",
    to: "paused",
    reason: "budget exceeded",
  }, { agentId });
  deps.log.warn("agent paused: budget exceeded", { agent_id: agentId });
}
