/**
 * The agent registry: spawn, look up, pause, resume, kill (cascading to
 * children), purge, and the per-agent turn queue — one turn at a time per
 * agent, many agents concurrently. SQLite is written first, events follow.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { TalonConfig } from "../config.ts";
import { TalonError } from "../errors.ts";
import type { EventBus } from "../events/mod.ts";
import { chatWithFallback, type ProviderRegistry } from "../llm/mod.ts";
import type { BudgetLedger } from "../scheduler/mod.ts";
import type { AuditChain } from "../security/mod.ts";
import type { Logger } from "../log.ts";
import { missingCapabilities } from "../security/mod.ts";
import * as store from "../store/mod.ts";
import {
  AgentManifest,
  type AgentState,
  type AgentView,
  describeIssues,
  type SessionPage,
  type SessionQuery,
  type SessionReset,
  type StopResult,
  type TalonEvent,
  type TurnResult,
  type TurnStatus,
  type Usage,
} from "../types.ts";
import { NO_TOOLS, type ToolExecutor } from "../tools/mod.ts";
import { runTurn } from "./agent_loop.ts";
import type { ChatFn } from "./model_call.ts";
import { assertTransition } from "./lifecycle.ts";

/** What the registry needs from the kernel. */
export interface AgentRegistryDeps {
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
  /** Validates a manifest's `tools` list at spawn; unknown names are `invalid_manifest`. */
  toolNames?: { assertKnown(names: readonly string[]): void };
}

/** A message accepted into an agent's queue. */
export interface TurnHandle {
  turn_id: string;
  agent_id: string;
  /** Resolves when the turn ends, however it ends. */
  result: Promise<TurnResult>;
  /** This turn's events (replayed from the log if late), ending with `done`. */
  events(): AsyncIterableIterator<TalonEvent>;
}

interface Pending {
  turnId: string;
  /** The inter-agent call chain of this turn, ending with its agent. */
  chain: readonly string[];
  resolve: (result: TurnResult) => void;
}

interface Worker {
  queue: Pending[];
  current: { pending: Pending; controller: AbortController; done: Promise<void> } | null;
  draining: boolean;
}

/** Agents and their turn queues. */
export class AgentRegistry {
  readonly #deps: AgentRegistryDeps;
  readonly #workers = new Map<string, Worker>();
  #accepting = true;

  constructor(deps: AgentRegistryDeps) {
    this.#deps = deps;
  }

  /**
   * Validates a manifest and creates a Running agent. A child's capabilities
   * must be covered by its parent's, a top-level agent's by `max_capabilities`.
   */
  spawn(input: unknown, options: { parent?: string; actor?: string } = {}): AgentView {
    this.#assertAccepting();
    const { db, bus, providers, config } = this.#deps;
    const parsed = AgentManifest.safeParse(input);
    if (!parsed.success) {
      throw new TalonError(
        "invalid_manifest",
        `invalid manifest: ${describeIssues(parsed.error)}`,
        { cause: parsed.error },
      );
    }
    const manifest = parsed.data;
    if (manifest.tools !== undefined) this.#deps.toolNames?.assertKnown(manifest.tools);
    const parent = options.parent === undefined ? undefined : this.get(options.parent);
    if (parent && parent.state === "killed") {
      throw new TalonError(
        "illegal_transition",
        `parent agent "${parent.name}" is killed; a killed agent cannot have new children`,
      );
    }
    const bound = parent ? parent.capabilities : config.max_capabilities;
    const missing = missingCapabilities(bound, manifest.capabilities);
    if (missing.length > 0) {
      throw new TalonError(
        "capability_exceeded",
        parent
          ? `agent "${manifest.name}" asks for ${
            missing.join(", ")
          }, which its parent "${parent.name}" does not hold; a child gets a subset of its parent's capabilities`
          : `agent "${manifest.name}" asks for ${
            missing.join(", ")
          }, beyond max_capabilities in the config; remove them or raise max_capabilities`,
        { details: { missing } },
      );
    }
    const provider = manifest.provider ?? providers.defaultProvider.name;
    const entry = providers.assertUsable(provider);
    const resolved: AgentManifest = {
      ...manifest,
      provider,
      model: providers.catalog.canonical(manifest.model ?? entry.default_model),
    };
    const id = crypto.randomUUID();
    const agent = store.transaction(db, () => {
      store.insertAgent(db, {
        id,
        manifest: resolved,
        provider,
        model: resolved.model!,
        parentId: parent?.id ?? null,
      });
      store.setAgentState(db, id, "running");
      this.#deps.audit.append({
        action: "agent.spawn",
        actor: options.actor ?? "system",
        agent_id: id,
        detail: {
          name: resolved.name,
          version: resolved.version,
          provider,
          model: resolved.model!,
          capabilities: resolved.capabilities,
          tools: resolved.tools ?? null,
          parent_id: parent?.id ?? null,
        },
      });
      return store.getAgent(db, id)!;
    });
    bus.publish("agent.lifecycle", { from: null, to: "created" }, { agentId: id });
    bus.publish("agent.lifecycle", { from: "created", to: "running" }, { agentId: id });
    this.#deps.log.info("agent spawned", { agent_id: id, name: agent.name, provider });
    return agent;
  }

  /** The agent with this id or name; `not_found` otherwise. */
  get(ref: string): AgentView {
    return store.findAgent(this.#deps.db, ref);
  }

  /** Agents, newest first. */
  list(options: store.ListAgentsOptions = {}): AgentView[] {
    return store.listAgents(this.#deps.db, options);
  }

  /** Running → Paused: the turn in flight finishes, queued turns wait. */
  pause(ref: string): AgentView {
    return this.#transition(ref, "paused");
  }

  /** Paused (or Suspended) → Running, and the queue drains again. */
  resume(ref: string): AgentView {
    const agent = this.#transition(ref, "running");
    this.#drain(agent.id);
    return agent;
  }

  /** Kills the agent and every descendant: in-flight turns are interrupted. */
  kill(ref: string, options: { reason?: string; actor?: string } = {}): AgentView {
    const reason = options.reason ?? "killed";
    const { db, bus } = this.#deps;
    const agent = this.get(ref);
    assertTransition(agent.name, agent.state, "killed");
    const ids = [agent.id, ...store.descendantIds(db, agent.id)];
    const changed: { id: string; from: AgentState }[] = [];
    store.transaction(db, () => {
      for (const id of ids) {
        const current = store.getAgent(db, id)!;
        if (current.state === "killed") continue;
        store.setAgentState(db, id, "killed");
        changed.push({ id, from: current.state });
      }
      this.#deps.audit.append({
        action: "agent.kill",
        actor: options.actor ?? "system",
        agent_id: agent.id,
        detail: { reason, cascade: changed.slice(1).map((c) => c.id) },
      });
    });
    for (const { id, from } of changed) {
      bus.publish("agent.lifecycle", {
        from,
        to: "killed",
        reason: id === agent.id ? reason : `parent ${agent.name} killed`,
      }, { agentId: id });
      this.#abortWorker(id, "cancelled");
    }
    this.#deps.log.info("agent killed", { agent_id: agent.id, cascade: changed.length - 1 });
    return this.get(agent.id);
  }

  /** Removes killed agents with their sessions; returns how many. */
  purge(): number {
    const count = store.transaction(this.#deps.db, () => store.deleteKilledAgents(this.#deps.db));
    if (count > 0) this.#deps.bus.publish("agent.purged", { count });
    return count;
  }

  /**
   * Queues a user message as a new turn. The message is persisted before this
   * returns; Paused, Suspended and Killed agents refuse it. `chain` is the
   * inter-agent call chain that sent it (empty for a user).
   */
  send(
    ref: string,
    text: string,
    options: { chain?: readonly string[]; actor?: string } = {},
  ): TurnHandle {
    this.#assertAccepting();
    const { db, bus, config } = this.#deps;
    const agent = this.get(ref);
    if (agent.state !== "running") {
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
    const worker = this.#worker(agent.id);
    const waiting = worker.queue.length + (worker.current ? 1 : 0);
    if (waiting >= config.agents.queue_limit) {
      throw new TalonError(
        "queue_full",
        `agent "${agent.name}" already has ${waiting} messages waiting; retry when its current turns finish`,
      );
    }
    const turnId = crypto.randomUUID();
    const afterId = store.lastEventId(db);
    const chain = options.chain ?? [];
    store.transaction(db, () => {
      store.insertTurn(db, { id: turnId, agentId: agent.id, input: text });
      this.#deps.audit.append({
        action: "agent.message",
        actor: options.actor ?? (chain.length ? `agent:${chain.at(-1)}` : "system"),
        agent_id: agent.id,
        detail: {
          turn_id: turnId,
          chars: text.length,
          sha256: createHash("sha256").update(text).digest("hex"),
          chain: [...chain],
        },
      });
    });
    const scope = { agentId: agent.id, turnId };
    bus.publish("turn.started", { input: text }, scope);
    bus.publish("message", { role: "user", text }, scope);
    const result = new Promise<TurnResult>((resolve) => {
      worker.queue.push({ turnId, chain: [...chain, agent.id], resolve });
    });
    this.#drain(agent.id);
    return {
      turn_id: turnId,
      agent_id: agent.id,
      result,
      events: () => this.turnEvents(turnId, afterId),
    };
  }

  /** The events of a turn after `afterId`, ending with its `done` event. */
  async *turnEvents(turnId: string, afterId = 0): AsyncIterableIterator<TalonEvent> {
    const sub = this.#deps.bus.subscribe({ turnId, afterId, onGap: "replay" });
    try {
      for await (const event of sub) {
        if (event.type === "gap") continue;
        yield event;
        if (event.type === "done") return;
      }
    } finally {
      sub.close();
    }
  }

  /** A page of the agent's session, oldest first, with the cursor to the page before it. */
  session(ref: string, query: SessionQuery): SessionPage {
    const agent = this.get(ref);
    const messages = store.sessionMessages(this.#deps.db, agent.id, query);
    const first = messages[0];
    const more = first !== undefined && messages.length === query.limit &&
      store.sessionMessages(this.#deps.db, agent.id, { limit: 1, before: first.id }).length > 0;
    return { messages, next_before: more ? first.id : null };
  }

  /**
   * Clears the agent's session (turn records and usage stay). Refused while a
   * turn is running or queued, since it would lose that turn's context.
   */
  resetSession(ref: string, options: { actor?: string } = {}): SessionReset {
    const { db } = this.#deps;
    const agent = this.get(ref);
    const worker = this.#workers.get(agent.id);
    if (worker?.current || (worker?.queue.length ?? 0) > 0) {
      throw new TalonError(
        "illegal_transition",
        `agent "${agent.name}" has a turn running or queued; stop it or wait, then reset the session`,
      );
    }
    const removed = store.transaction(db, () => {
      const n = store.clearSession(db, agent.id);
      this.#deps.audit.append({
        action: "session.reset",
        actor: options.actor ?? "system",
        agent_id: agent.id,
        detail: { removed: n },
      });
      return n;
    });
    return { agent_id: agent.id, removed };
  }

  /** The id of the turn running for this agent, if any. */
  currentTurn(ref: string): string | undefined {
    return this.#workers.get(this.get(ref).id)?.current?.pending.turnId;
  }

  /**
   * Aborts the agent's in-flight turn and waits until it is stored with its
   * partial answer, marked stopped. Queued turns still run afterwards.
   */
  async stop(ref: string): Promise<StopResult> {
    const agent = this.get(ref);
    const current = this.#workers.get(agent.id)?.current;
    if (!current) {
      return { agent_id: agent.id, stopped: false, turn_id: null, status: null, reply: "" };
    }
    const turnId = current.pending.turnId;
    current.controller.abort(new Error("stopped by request"));
    await current.done;
    const turn = store.getTurn(this.#deps.db, turnId);
    return {
      agent_id: agent.id,
      stopped: true,
      turn_id: turnId,
      status: turn?.status ?? null,
      reply: turn?.output ?? "",
    };
  }

  /**
   * At boot: turns left queued or running by a crash are marked interrupted
   * (never re-run), and Suspended agents return to Running.
   */
  restore(): { restored: number; interrupted: number } {
    const { db, bus } = this.#deps;
    const open = store.openTurns(db);
    const suspended = store.agentIdsInState(db, "suspended");
    for (const turn of open) {
      this.#closeTurn(turn.agent_id, turn.id, {
        status: "interrupted",
        error: {
          code: "interrupted",
          message: "Talon stopped while this turn was in flight; send the message again to retry",
        },
        reply: turn.output,
        usage: { input_tokens: turn.input_tokens, output_tokens: turn.output_tokens },
        announce: true,
      });
    }
    store.transaction(db, () => {
      for (const id of suspended) store.setAgentState(db, id, "running");
    });
    for (const id of suspended) {
      bus.publish(
        "agent.lifecycle",
        { from: "suspended", to: "running", reason: "kernel started" },
        {
          agentId: id,
        },
      );
    }
    return { restored: suspended.length, interrupted: open.length };
  }

  /**
   * Stops accepting work, interrupts turns in flight (waiting up to
   * `timeoutMs` for them to persist), and suspends Running agents unless
   * `suspend` is false.
   */
  async shutdown(
    timeoutMs: number,
    options: { suspend?: boolean } = {},
  ): Promise<void> {
    const { db, bus } = this.#deps;
    this.#accepting = false;
    const inFlight: Promise<void>[] = [];
    for (const [id, worker] of this.#workers) {
      if (worker.current) inFlight.push(worker.current.done);
      this.#abortWorker(id, "interrupted");
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.allSettled(inFlight),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (options.suspend === false) return;
    const running = store.agentIdsInState(db, "running");
    store.transaction(db, () => {
      for (const id of running) store.setAgentState(db, id, "suspended");
    });
    for (const id of running) {
      bus.publish("agent.lifecycle", {
        from: "running",
        to: "suspended",
        reason: "kernel stopping",
      }, {
        agentId: id,
      });
    }
  }

  #assertAccepting(): void {
    if (!this.#accepting) {
      throw new TalonError("shutting_down", "Talon is shutting down; retry after it restarts");
    }
  }

  #transition(ref: string, to: AgentState): AgentView {
    const { db, bus } = this.#deps;
    const agent = this.get(ref);
    assertTransition(agent.name, agent.state, to);
    store.transaction(db, () => store.setAgentState(db, agent.id, to));
    bus.publish("agent.lifecycle", { from: agent.state, to }, { agentId: agent.id });
    return this.get(agent.id);
  }

  #worker(agentId: string): Worker {
    let worker = this.#workers.get(agentId);
    if (!worker) {
      worker = { queue: [], current: null, draining: false };
      this.#workers.set(agentId, worker);
    }
    return worker;
  }

  /** Aborts the in-flight turn and ends every queued one with `status`. */
  #abortWorker(agentId: string, status: "cancelled" | "interrupted"): void {
    const worker = this.#workers.get(agentId);
    if (!worker) return;
    worker.current?.controller.abort(
      new TalonError("interrupted", `turn ${status} because the agent stopped`),
    );
    for (const pending of worker.queue.splice(0)) {
      pending.resolve(this.#closeTurn(agentId, pending.turnId, {
        status,
        error: { code: "interrupted", message: `turn ${status} before it started` },
      }));
    }
  }

  /** Ends a turn that could not run at all (no driver, database error). */
  #failTurn(agentId: string, turnId: string, cause: unknown): TurnResult {
    const error = {
      code: cause instanceof TalonError ? cause.code : "driver_error",
      message: (cause as Error)?.message ?? String(cause),
    };
    this.#deps.log.error("turn could not run", { agent_id: agentId, turn_id: turnId, error });
    return this.#closeTurn(agentId, turnId, { status: "failed", error, announce: true });
  }

  /**
   * Records the end of a turn the agent loop did not finish (cancelled,
   * interrupted by a crash, unable to start) and publishes its `done` —
   * after an `error` event when `announce` is set — so followers of the turn
   * end. A failure to record is logged, never thrown.
   */
  #closeTurn(
    agentId: string,
    turnId: string,
    end: {
      status: TurnStatus;
      error: { code: string; message: string };
      reply?: string;
      usage?: Usage;
      announce?: boolean;
    },
  ): TurnResult {
    const { db, bus } = this.#deps;
    const result: TurnResult = {
      turn_id: turnId,
      agent_id: agentId,
      status: end.status,
      reply: end.reply ?? "",
      usage: end.usage ?? { input_tokens: 0, output_tokens: 0 },
      error: end.error,
    };
    try {
      store.finishTurn(db, turnId, { ...result, output: result.reply });
      const scope = { agentId, turnId };
      if (end.announce) bus.publish("error", end.error, scope);
      bus.publish("done", result, scope);
    } catch (cause) {
      // The caller still gets its result; the next boot marks the turn interrupted.
      this.#deps.log.error("could not record the end of a turn", { turn_id: turnId, error: cause });
    }
    return result;
  }

  /** A refused call pauses its agent, so it stops spending until resumed. */
  #pauseForBudget(agentId: string, result: TurnResult): void {
    const agent = store.getAgent(this.#deps.db, agentId);
    if (agent?.state !== "running") return;
    store.transaction(this.#deps.db, () => {
      store.setAgentState(this.#deps.db, agentId, "paused");
      this.#deps.audit.append({
        action: "budget.exceeded",
        actor: "system",
        agent_id: agentId,
        detail: { turn_id: result.turn_id, message: result.error?.message ?? "" },
      });
    });
    this.#deps.bus.publish("agent.lifecycle", {
      from: "running",
      to: "paused",
      reason: "budget exceeded",
    }, { agentId });
    this.#deps.log.warn("agent paused: budget exceeded", { agent_id: agentId });
  }

  #drain(agentId: string): void {
    const worker = this.#worker(agentId);
    if (worker.draining) return;
    worker.draining = true;
    void this.#drainLoop(agentId, worker);
  }

  async #drainLoop(agentId: string, worker: Worker): Promise<void> {
    let drained = false;
    try {
      drained = await this.#runQueued(agentId, worker);
    } finally {
      worker.draining = false;
      if (worker.queue.length === 0 && !worker.current) this.#workers.delete(agentId);
      // A send() may have queued a message after the loop's last check but
      // before this ran; it saw `draining` and left the work to us.
      else if (drained && this.#accepting) this.#drain(agentId);
    }
  }

  /** Runs queued turns; true when it stopped because the queue was empty. */
  async #runQueued(agentId: string, worker: Worker): Promise<boolean> {
    const { db, config } = this.#deps;
    while (worker.queue.length > 0 && this.#accepting) {
      const agent = store.getAgent(db, agentId);
      if (!agent || agent.state !== "running") return false;
      const pending = worker.queue.shift()!;
      const controller = new AbortController();
      let finish!: () => void;
      const done = new Promise<void>((resolve) => (finish = resolve));
      worker.current = { pending, controller, done };
      try {
        const { providers, log } = this.#deps;
        const driver = providers.driver(agent.provider);
        const chat: ChatFn = (request) =>
          chatWithFallback(driver, request, {
            policy: providers.retryPolicy,
            fallbackModels: agent.manifest.fallback_models.map((m) =>
              providers.catalog.canonical(m)
            ),
            onRetry: (info) =>
              log.warn("LLM call failed; retrying", {
                agent_id: agentId,
                model: info.model,
                attempt: info.attempt,
                delay_ms: info.delayMs,
                error: { code: info.error.code, message: info.error.message },
              }),
          });
        const result = await runTurn({
          db,
          bus: this.#deps.bus,
          log: this.#deps.log,
          agent,
          turnId: pending.turnId,
          chat,
          tools: this.#deps.tools ?? NO_TOOLS,
          ledger: this.#deps.ledger,
          maxContinuations: config.agents.max_continuations,
          contextWindow: this.#deps.models?.contextWindow(agent.model),
          signal: controller.signal,
          chain: pending.chain,
          maxIterations: Math.min(
            agent.manifest.resources.max_iterations ?? Infinity,
            config.agents.max_iterations,
          ),
          historyLimit: config.agents.max_history_messages,
        });
        if (result.error?.code === "budget_exceeded") this.#pauseForBudget(agentId, result);
        pending.resolve(result);
      } catch (cause) {
        pending.resolve(this.#failTurn(agentId, pending.turnId, cause));
      } finally {
        worker.current = null;
        finish();
      }
    }
    return true;
  }
}
