/**
 * The agent registry: spawn, look up, pause, resume, kill (cascading to
 * children), purge, sessions, and sending messages into each agent's turn
 * queue (`turn_queue.ts`). SQLite is written first, events follow.
 *
 * @module
 */
import { TalonError } from "../errors.ts";
import { sha256Hex } from "../security/mod.ts";
import * as store from "../store/mod.ts";
import type {
  AgentManifest,
  AgentPatch,
  AgentState,
  AgentView,
  SessionPage,
  SessionQuery,
  StopResult,
  TalonEvent,
  TurnResult,
} from "../types.ts";
import { updateAgent } from "./agent_update.ts";
import { type EphemeralInput, type EphemeralTurn, EphemeralTurns } from "./ephemeral_turns.ts";
import { assertAcceptsMessages, assertTransition } from "./lifecycle.ts";
import { resolveManifest } from "./spawn_manifest.ts";
import { restoreAfterStop } from "./agent_restore.ts";
import { followTurn } from "./turn_events.ts";
import { TurnQueue } from "./turn_queue.ts";
import { runQueuedTurn, type TurnRunnerDeps } from "./turn_runner.ts";

/** What the registry needs from the kernel. */
export interface AgentRegistryDeps extends TurnRunnerDeps {
  /** Validates a manifest's `tools` list at spawn; unknown names are `invalid_manifest`. */
  toolNames?: { assertKnown(names: readonly string[]): void };
  /** The configured MCP servers a manifest's `mcp_servers` may name. */
  mcpServers?: { has(name: string): boolean; list(): { name: string }[] };
  /** Keeps the schedule row a manifest's `[schedule]` owns in step (the scheduler). */
  schedules?: ManifestSchedules;
  /** Told of every agent a kill ended (e.g. to close its browser); must not throw. */
  onKilled?: (agentId: string) => void;
  /** Told of every agent spawned (e.g. to make its key pair); must not throw. */
  onSpawned?: (agentId: string) => void;
  /** Checks signed manifests and edits (kernel/security/manifest_signing.ts). */
  manifests?: ManifestAdmission;
}

/**
 * Signed-manifest checks: each returns the document without its signature
 * block, and what to record inside the transaction that applies it.
 * `internal` changes (an agent's children, Hand instances) need no signature.
 */
export interface ManifestAdmission {
  spawn(
    input: unknown,
    options: { internal: boolean; actor: string },
  ): { value: unknown; commit(): void };
  patch(
    agent: AgentView,
    patch: AgentPatch,
    options: { internal: boolean; actor: string },
  ): { value: AgentPatch; commit(): void };
}

/** The scheduler's side of a manifest's `[schedule]`. */
export interface ManifestSchedules {
  /**
   * Inside the caller's transaction: makes the agent's manifest-owned
   * schedule row match `manifest.schedule` (a bad one throws, naming the
   * field). Returns what to announce once the transaction committed.
   */
  reconcile(
    agentId: string,
    manifest: AgentManifest,
    options: { actor: string; byAgent: boolean },
  ): () => void;
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

/** Agents and their turn queues. */
export class AgentRegistry {
  readonly #deps: AgentRegistryDeps;
  readonly #queue: TurnQueue;
  readonly #ephemeral: EphemeralTurns;
  #accepting = true;

  constructor(deps: AgentRegistryDeps) {
    this.#deps = deps;
    this.#queue = new TurnQueue({
      db: deps.db,
      bus: deps.bus,
      log: deps.log,
      run: (agent, turn, signal) => runQueuedTurn(deps, agent, turn, signal),
    });
    this.#ephemeral = new EphemeralTurns(deps);
  }

  /**
   * Validates a manifest and creates a Running agent. A child's capabilities
   * must be covered by its parent's, a top-level agent's by `max_capabilities`.
   */
  spawn(
    input: unknown,
    options: { parent?: string; actor?: string; internal?: boolean } = {},
  ): AgentView {
    this.#assertAccepting();
    const { db, bus, providers, config } = this.#deps;
    const parent = options.parent === undefined ? undefined : this.#parent(options.parent);
    const actor = options.actor ?? "system";
    const admitted = this.#deps.manifests?.spawn(input, {
      internal: options.internal === true || actor.startsWith("agent:"),
      actor,
    });
    const resolved = resolveManifest(admitted ? admitted.value : input, {
      config,
      providers,
      parent,
      toolNames: this.#deps.toolNames,
      skills: this.#deps.skills,
      mcpServers: this.#deps.mcpServers,
    });
    const { provider } = resolved;
    const id = crypto.randomUUID();
    let announce: (() => void) | undefined;
    const agent = store.transaction(db, () => {
      store.insertAgent(db, {
        id,
        manifest: resolved,
        provider,
        model: resolved.model,
        parentId: parent?.id ?? null,
      });
      store.setAgentState(db, id, "running");
      this.#deps.audit.append({
        action: "agent.spawn",
        actor,
        agent_id: id,
        detail: {
          name: resolved.name,
          version: resolved.version,
          provider,
          model: resolved.model,
          capabilities: resolved.capabilities,
          tools: resolved.tools ?? null,
          parent_id: parent?.id ?? null,
        },
      });
      announce = this.#deps.schedules?.reconcile(id, resolved, {
        actor,
        byAgent: actor.startsWith("agent:"),
      });
      admitted?.commit();
      return store.getAgent(db, id)!;
    });
    bus.publish("agent.lifecycle", { from: null, to: "created" }, { agentId: id });
    bus.publish("agent.lifecycle", { from: "created", to: "running" }, { agentId: id });
    announce?.();
    this.#deps.log.info("agent spawned", { agent_id: id, name: agent.name, provider });
    this.#deps.onSpawned?.(id);
    return agent;
  }

  /** The parent named by a spawn; `not_found` on the `parent` field otherwise. */
  #parent(ref: string): AgentView {
    try {
      return this.get(ref);
    } catch (error) {
      if (!(error instanceof TalonError) || error.code !== "not_found") throw error;
      throw new TalonError("not_found", error.message, {
        cause: error,
        fields: { parent: error.message },
      });
    }
  }

  /** The agent with this id or name; `not_found` otherwise. */
  get(ref: string): AgentView {
    return store.findAgent(this.#deps.db, ref);
  }

  /** Agents, newest first. */
  list(options: store.ListAgentsOptions = {}): AgentView[] {
    return store.listAgents(this.#deps.db, options);
  }

  /**
   * Changes an agent's manifest (not its name), checked as a spawn is; the
   * change applies from its next turn.
   */
  update(
    ref: string,
    patch: AgentPatch,
    options: { actor?: string; internal?: boolean } = {},
  ): AgentView {
    this.#assertAccepting();
    const agent = updateAgent(this.#deps, this.get(ref), {
      patch,
      actor: options.actor,
      internal: options.internal,
    });
    this.#deps.log.info("agent updated", { agent_id: agent.id, fields: Object.keys(patch) });
    return agent;
  }

  /** Running → Paused: the turn in flight finishes, queued turns wait. */
  pause(ref: string, options: { actor: string }): AgentView {
    return this.#transition(ref, "paused", { action: "agent.pause", actor: options.actor });
  }

  /** Paused (or Suspended) → Running, and the queue drains again. */
  resume(ref: string, options: { actor: string }): AgentView {
    const agent = this.#transition(ref, "running", {
      action: "agent.resume",
      actor: options.actor,
    });
    this.#queue.drain(agent.id);
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
      this.#queue.abort(id, "cancelled");
      this.#ephemeral.abortAgent(id);
      this.#deps.onKilled?.(id);
    }
    this.#deps.log.info("agent killed", { agent_id: agent.id, cascade: changed.length - 1 });
    return this.get(agent.id);
  }

  /** Removes killed agents with their sessions; returns how many. */
  purge(options: { actor: string }): number {
    const { db, audit } = this.#deps;
    const count = store.transaction(db, () => {
      const purged = store.deleteKilledAgents(db);
      if (purged > 0) {
        audit.append({ action: "agent.purge", actor: options.actor, detail: { count: purged } });
      }
      return purged;
    });
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
    options: {
      chain?: readonly string[];
      actor?: string;
      /** The new turn's id (an inter-agent message is signed over it before it is sent). */
      turnId?: string;
      /** Called inside the transaction that stores the message (e.g. to store its signature). */
      withTurn?: () => void;
    } = {},
  ): TurnHandle {
    this.#assertAccepting();
    const { db, bus, config } = this.#deps;
    const agent = this.get(ref);
    assertAcceptsMessages(agent);
    const waiting = this.#queue.waiting(agent.id);
    if (waiting >= config.agents.queue_limit) {
      throw new TalonError(
        "queue_full",
        `agent "${agent.name}" already has ${waiting} messages waiting; retry when its current turns finish`,
      );
    }
    const turnId = options.turnId ?? crypto.randomUUID();
    const afterId = store.lastEventId(db);
    const chain = options.chain ?? [];
    store.transaction(db, () => {
      store.insertTurn(db, { id: turnId, agentId: agent.id, input: text });
      options.withTurn?.();
      this.#deps.audit.append({
        action: "agent.message",
        actor: options.actor ?? (chain.length ? `agent:${chain.at(-1)}` : "system"),
        agent_id: agent.id,
        detail: {
          turn_id: turnId,
          chars: text.length,
          sha256: sha256Hex(text),
          chain: [...chain],
        },
      });
      // The queued turn, its audit entry and its first events are one commit.
      const scope = { agentId: agent.id, turnId };
      bus.publish("turn.started", { input: text }, scope);
      bus.publish("message", { role: "user", text }, scope);
    });
    const result = new Promise<TurnResult>((resolve) => {
      this.#queue.push(agent.id, { turnId, chain: [...chain, agent.id], resolve });
    });
    return {
      turn_id: turnId,
      agent_id: agent.id,
      result,
      events: () => this.turnEvents(turnId, afterId),
    };
  }

  /**
   * The events of a turn after `afterId`, ending with its `done` event.
   * `return()` ends the iteration at once, even while waiting for an event.
   */
  turnEvents(turnId: string, afterId = 0): AsyncIterableIterator<TalonEvent> {
    return followTurn(this.#deps.bus, turnId, afterId);
  }

  /**
   * Answers a caller-supplied conversation as the Running agent, behind its
   * system prompt and tools, without touching its session (the
   * OpenAI-compatible endpoint). Follow it with {@link turnEvents}.
   */
  chat(
    ref: string,
    input: EphemeralInput,
    options: { actor?: string; signal?: AbortSignal } = {},
  ): EphemeralTurn {
    this.#assertAccepting();
    const agent = this.get(ref);
    assertAcceptsMessages(agent);
    return this.#ephemeral.start(agent, input, options);
  }

  /** A page of the agent's current session, oldest first, with the cursor to the page before it. */
  session(ref: string, query: SessionQuery): SessionPage {
    const agent = this.get(ref);
    const messages = store.sessionMessages(this.#deps.db, agent.id, query);
    const first = messages[0];
    const more = first !== undefined && messages.length === query.limit &&
      store.sessionMessages(this.#deps.db, agent.id, { limit: 1, before: first.id }).length > 0;
    return { messages, next_before: more ? first.id : null };
  }

  /** The id of the turn running for this agent, if any. */
  currentTurn(ref: string): string | undefined {
    return this.#queue.current(this.get(ref).id);
  }

  /**
   * Aborts the agent's in-flight turn and waits until it is stored with its
   * partial answer, marked stopped. Queued turns still run afterwards.
   */
  async stop(ref: string, options: { actor: string }): Promise<StopResult> {
    const agent = this.get(ref);
    const turnId = await this.#queue.stop(agent.id);
    if (turnId === undefined) {
      return { agent_id: agent.id, stopped: false, turn_id: null, status: null, reply: "" };
    }
    this.#auditStop(agent.id, turnId, options.actor);
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
   * Stops one turn of the agent: in flight, it is aborted with its partial
   * answer kept (as {@link stop}); queued, it is cancelled. False when the
   * turn is not open.
   */
  async stopTurn(ref: string, turnId: string, options: { actor: string }): Promise<boolean> {
    const agentId = this.get(ref).id;
    const stopped = await this.#queue.stopTurn(agentId, turnId);
    if (stopped) this.#auditStop(agentId, turnId, options.actor);
    return stopped;
  }

  #auditStop(agentId: string, turnId: string, actor: string): void {
    this.#deps.audit.append({
      action: "agent.stop",
      actor,
      agent_id: agentId,
      detail: { turn_id: turnId },
    });
  }

  /**
   * At boot: turns left queued or running by a crash are marked interrupted
   * (never re-run), and Suspended agents return to Running.
   */
  restore(): { restored: number; interrupted: number } {
    return restoreAfterStop(this.#deps);
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
    await Promise.all([this.#queue.close(timeoutMs), this.#ephemeral.close(timeoutMs)]);
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

  #transition(
    ref: string,
    to: AgentState,
    by: { action: "agent.pause" | "agent.resume"; actor: string },
  ): AgentView {
    const { db, bus, audit } = this.#deps;
    const agent = this.get(ref);
    assertTransition(agent.name, agent.state, to);
    store.transaction(db, () => {
      store.setAgentState(db, agent.id, to);
      audit.append({
        action: by.action,
        actor: by.actor,
        agent_id: agent.id,
        detail: { from: agent.state, to },
      });
    });
    bus.publish("agent.lifecycle", { from: agent.state, to }, { agentId: agent.id });
    return this.get(agent.id);
  }
}
