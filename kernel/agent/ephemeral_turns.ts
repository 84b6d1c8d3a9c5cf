/**
 * Ephemeral turns: an agent answers a conversation that a caller supplies
 * (an OpenAI-compatible chat request) behind the agent's own system prompt
 * and tools, without reading or changing its session. They run beside the
 * agent's queue, are metered and audited as the agent, leave a turn record,
 * publish their events like any turn, and are interrupted when the agent is
 * killed or Talon stops.
 *
 * @module
 */
import { TalonError } from "../errors.ts";
import { sha256Hex } from "../security/mod.ts";
import * as store from "../store/mod.ts";
import type { AgentView, SessionMessage, TurnResult } from "../types.ts";
import { failTurn, settleWithin } from "./turn_end.ts";
import { runAgentTurn, type TurnRunnerDeps } from "./turn_runner.ts";
import { EphemeralSession } from "./turn_session.ts";

/** A conversation to answer. */
export interface EphemeralInput {
  /** Extra system text, appended to the agent's system prompt. */
  system: readonly string[];
  /** The history, oldest first; the last message is the user's. */
  messages: readonly SessionMessage[];
  /** Overrides the agent's temperature. */
  temperature?: number;
  /** Caps the reply below the agent's own `max_tokens`. */
  maxTokens?: number;
}

/** An ephemeral turn that started. */
export interface EphemeralTurn {
  turn_id: string;
  agent_id: string;
  /** Event id before the turn's first event (to follow it on the bus). */
  after_id: number;
  result: Promise<TurnResult>;
  /**
   * Everything the agent said in the turn — the text of each model call,
   * joined by a blank line — as a streamed reply shows it.
   */
  text(): string;
}

interface Run {
  agentId: string;
  controller: AbortController;
  result: Promise<TurnResult>;
}

/** The ephemeral turns in flight. */
export class EphemeralTurns {
  readonly #deps: TurnRunnerDeps;
  readonly #runs = new Map<string, Run>();

  constructor(deps: TurnRunnerDeps) {
    this.#deps = deps;
  }

  /**
   * Starts answering `input` as the Running `agent`. `signal` (e.g. the
   * client going away) stops the turn, keeping its partial answer.
   */
  start(
    agent: AgentView,
    input: EphemeralInput,
    options: { actor?: string; signal?: AbortSignal } = {},
  ): EphemeralTurn {
    const last = input.messages.at(-1);
    if (last?.role !== "user") {
      throw new TypeError("an ephemeral conversation must end with a user message");
    }
    const { db, bus } = this.#deps;
    const turnId = crypto.randomUUID();
    const afterId = store.lastEventId(db);
    store.transaction(db, () => {
      store.insertTurn(db, { id: turnId, agentId: agent.id, input: last.text, ephemeral: true });
      this.#deps.audit.append({
        action: "agent.message",
        actor: options.actor ?? "system",
        agent_id: agent.id,
        detail: {
          turn_id: turnId,
          ephemeral: true,
          messages: input.messages.length,
          chars: last.text.length,
          sha256: sha256Hex(last.text),
          chain: [],
        },
      });
    });
    bus.publish("turn.started", { input: last.text, ephemeral: true }, {
      agentId: agent.id,
      turnId,
    });
    const controller = new AbortController();
    const onClientAbort = () => controller.abort(new Error("the client went away"));
    options.signal?.addEventListener("abort", onClientAbort, { once: true });
    const behind: AgentView = {
      ...agent,
      manifest: {
        ...agent.manifest,
        system_prompt: [agent.manifest.system_prompt, ...input.system].join("\n\n"),
        max_tokens: Math.min(agent.manifest.max_tokens, input.maxTokens ?? Infinity),
        ...(input.temperature !== undefined ? { temperature: input.temperature } : {}),
      },
    };
    const session = new EphemeralSession(input.messages);
    const result = runAgentTurn(this.#deps, behind, {
      turnId,
      chain: [agent.id],
      signal: controller.signal,
      session,
    }).catch((cause) => failTurn(this.#deps, { agentId: agent.id, turnId }, cause)).finally(() => {
      options.signal?.removeEventListener("abort", onClientAbort);
      this.#runs.delete(turnId);
    });
    this.#runs.set(turnId, { agentId: agent.id, controller, result });
    return {
      turn_id: turnId,
      agent_id: agent.id,
      after_id: afterId,
      result,
      text: () => session.assistantText(turnId),
    };
  }

  /** Interrupts the agent's ephemeral turns (it was killed). */
  abortAgent(agentId: string): void {
    for (const run of this.#runs.values()) {
      if (run.agentId === agentId) {
        run.controller.abort(new TalonError("interrupted", "turn interrupted: the agent stopped"));
      }
    }
  }

  /** Interrupts every ephemeral turn and waits up to `timeoutMs` for them to be stored. */
  async close(timeoutMs: number): Promise<void> {
    const results = [...this.#runs.values()].map((run) => {
      run.controller.abort(new TalonError("interrupted", "turn interrupted: Talon is stopping"));
      return run.result;
    });
    await settleWithin(results, timeoutMs);
  }
}
