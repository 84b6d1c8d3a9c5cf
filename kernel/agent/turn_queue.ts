/**
 * Per-agent turn queues: one turn at a time per agent, many agents
 * concurrently. The queue owns the in-flight turn's abort controller; what a
 * turn does is the caller's `run` function.
 *
 * @module
 */
import { TalonError } from "../errors.ts";
import type { EventBus } from "../events/mod.ts";
import type { Logger } from "../log.ts";
import * as store from "../store/mod.ts";
import type { AgentView, TurnResult } from "../types.ts";
import { closeTurn, failTurn, settleWithin } from "./turn_end.ts";

/** A message accepted into an agent's queue, waiting for its turn. */
export interface QueuedTurn {
  turnId: string;
  /** The inter-agent call chain of this turn, ending with its agent. */
  chain: readonly string[];
  resolve: (result: TurnResult) => void;
}

interface Worker {
  queue: QueuedTurn[];
  current: { turn: QueuedTurn; controller: AbortController; done: Promise<void> } | null;
  draining: boolean;
}

/** What the queue needs. */
export interface TurnQueueDeps {
  db: store.Database;
  bus: EventBus;
  log: Logger;
  /** Runs one turn of a Running agent to its end. */
  run: (agent: AgentView, turn: QueuedTurn, signal: AbortSignal) => Promise<TurnResult>;
}

/** The turn queues of every agent. */
export class TurnQueue {
  readonly #deps: TurnQueueDeps;
  readonly #workers = new Map<string, Worker>();
  #accepting = true;

  constructor(deps: TurnQueueDeps) {
    this.#deps = deps;
  }

  /** Turns of the agent queued or running. */
  waiting(agentId: string): number {
    const worker = this.#workers.get(agentId);
    return worker ? worker.queue.length + (worker.current ? 1 : 0) : 0;
  }

  /** The id of the agent's turn in flight, if any. */
  current(agentId: string): string | undefined {
    return this.#workers.get(agentId)?.current?.turn.turnId;
  }

  /** Queues a turn and starts the agent's queue if it is idle. */
  push(agentId: string, turn: QueuedTurn): void {
    this.#worker(agentId).queue.push(turn);
    this.drain(agentId);
  }

  /** Runs the agent's queued turns if it has any and none is running. */
  drain(agentId: string): void {
    const worker = this.#worker(agentId);
    if (worker.draining) return;
    worker.draining = true;
    void this.#drainLoop(agentId, worker);
  }

  /**
   * Aborts the agent's turn in flight and waits until it has ended; returns
   * its id, or undefined when nothing was running.
   */
  async stop(agentId: string): Promise<string | undefined> {
    const current = this.#workers.get(agentId)?.current;
    if (!current) return undefined;
    current.controller.abort(new Error("stopped by request"));
    await current.done;
    return current.turn.turnId;
  }

  /**
   * Stops one turn: aborts it and waits until it has ended (partial answer
   * kept) when it is in flight, or ends it `cancelled` when it is still
   * queued. False when the agent has no such turn open.
   */
  async stopTurn(agentId: string, turnId: string): Promise<boolean> {
    const worker = this.#workers.get(agentId);
    if (!worker) return false;
    const current = worker.current;
    if (current?.turn.turnId === turnId) {
      current.controller.abort(new Error("stopped by request"));
      await current.done;
      return true;
    }
    const index = worker.queue.findIndex((t) => t.turnId === turnId);
    if (index < 0) return false;
    const [turn] = worker.queue.splice(index, 1);
    turn!.resolve(closeTurn(this.#deps, { agentId, turnId }, {
      status: "cancelled",
      error: { code: "stopped", message: "turn stopped before it started" },
    }));
    return true;
  }

  /** Aborts the turn in flight and ends every queued one with `status`. */
  abort(agentId: string, status: "cancelled" | "interrupted"): void {
    const worker = this.#workers.get(agentId);
    if (!worker) return;
    worker.current?.controller.abort(
      new TalonError("interrupted", `turn ${status} because the agent stopped`),
    );
    for (const turn of worker.queue.splice(0)) {
      turn.resolve(closeTurn(this.#deps, { agentId, turnId: turn.turnId }, {
        status,
        error: { code: "interrupted", message: `turn ${status} before it started` },
      }));
    }
  }

  /**
   * Stops running queued turns, interrupts every turn in flight and waits up
   * to `timeoutMs` for them to be stored.
   */
  async close(timeoutMs: number): Promise<void> {
    this.#accepting = false;
    const inFlight: Promise<void>[] = [];
    for (const [id, worker] of this.#workers) {
      if (worker.current) inFlight.push(worker.current.done);
      this.abort(id, "interrupted");
    }
    await settleWithin(inFlight, timeoutMs);
  }

  #worker(agentId: string): Worker {
    let worker = this.#workers.get(agentId);
    if (!worker) {
      worker = { queue: [], current: null, draining: false };
      this.#workers.set(agentId, worker);
    }
    return worker;
  }

  async #drainLoop(agentId: string, worker: Worker): Promise<void> {
    let drained = false;
    try {
      drained = await this.#runQueued(agentId, worker);
    } finally {
      worker.draining = false;
      if (worker.queue.length === 0 && !worker.current) this.#workers.delete(agentId);
      // A push() may have queued a message after the loop's last check but
      // before this ran; it saw `draining` and left the work to us.
      else if (drained && this.#accepting) this.drain(agentId);
    }
  }

  /** Runs queued turns; true when it stopped because the queue was empty. */
  async #runQueued(agentId: string, worker: Worker): Promise<boolean> {
    while (worker.queue.length > 0 && this.#accepting) {
      const agent = store.getAgent(this.#deps.db, agentId);
      if (!agent || agent.state !== "running") return false;
      const turn = worker.queue.shift()!;
      const controller = new AbortController();
      let finish!: () => void;
      const done = new Promise<void>((resolve) => (finish = resolve));
      worker.current = { turn, controller, done };
      try {
        turn.resolve(await this.#deps.run(agent, turn, controller.signal));
      } catch (cause) {
        turn.resolve(failTurn(this.#deps, { agentId, turnId: turn.turnId }, cause));
      } finally {
        worker.current = null;
        finish();
      }
    }
    return true;
  }
}
