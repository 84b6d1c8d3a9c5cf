/**
 * The event bus: the kernel's only fan-out. Every event is numbered and
 * persisted first (token deltas coalesced, written within
 * {@link TOKEN_FLUSH_MS} and before any read of the log), then offered to
 * each subscriber's bounded buffer.
 * The kernel never waits for a subscriber: one that falls behind gets a `gap`
 * event naming the missed range, or — if it asked for `onGap: "replay"` — has
 * the missed events re-read from the log.
 *
 * @module
 */
import type { Database, EventFilter } from "../store/mod.ts";
import {
  appendEvent,
  flushTokens,
  hasPendingTokens,
  lastEventId,
  nowIso,
  oldestEventId,
  readEvents,
  recentEvents,
} from "../store/mod.ts";
import type { EventPayloads, EventType, GapEvent, TalonEvent } from "../types.ts";
import type { z } from "zod";

/** Options for {@link EventBus.subscribe}. */
export interface SubscribeOptions extends EventFilter {
  /** Replay persisted events with id > afterId before live ones. */
  afterId?: number;
  /** Buffer size for this subscriber; the bus default otherwise. */
  bufferSize?: number;
  /** On overflow, deliver a `gap` event (default) or re-read from the log. */
  onGap?: "deliver" | "replay";
}

const PAGE = 500;

/** How long token deltas may wait in memory before their coalesced rows are written. */
export const TOKEN_FLUSH_MS = 200;

/** A live subscription: an async iterator of events; `close()` ends it. */
export class Subscription implements AsyncIterableIterator<TalonEvent | GapEvent> {
  #buffer: TalonEvent[] = [];
  #gap: { from: number; to: number } | null = null;
  #backlog: { after: number; upTo: number } | null = null;
  #lastQueued = 0;
  #waiter: (() => void) | null = null;
  #closed = false;
  readonly #bus: EventBus;
  readonly #filter: EventFilter;
  readonly #size: number;
  readonly #mode: "deliver" | "replay";

  constructor(
    bus: EventBus,
    options: SubscribeOptions & { bufferSize: number; lastId: number },
  ) {
    this.#bus = bus;
    this.#filter = {
      agentId: options.agentId,
      turnId: options.turnId,
      types: options.types,
    };
    this.#size = options.bufferSize;
    this.#mode = options.onGap ?? "deliver";
    this.#lastQueued = options.lastId;
    if (options.afterId !== undefined && options.afterId < options.lastId) {
      this.#backlog = { after: options.afterId, upTo: options.lastId };
    }
  }

  /** Whether `event` passes this subscription's filter. */
  matches(event: TalonEvent): boolean {
    const f = this.#filter;
    if (f.agentId !== undefined && event.agent_id !== f.agentId) return false;
    if (f.turnId !== undefined && event.turn_id !== f.turnId) return false;
    if (f.types && f.types.length > 0 && !f.types.includes(event.type)) {
      return false;
    }
    return true;
  }

  /** Called by the bus; never blocks. */
  offer(event: TalonEvent): void {
    if (this.#closed || !this.matches(event)) return;
    if (this.#backlog) {
      this.#backlog.upTo = event.id;
    } else if (this.#gap) {
      this.#gap.to = event.id;
    } else if (this.#buffer.length >= this.#size) {
      if (this.#mode === "replay") {
        this.#backlog = { after: this.#lastQueued, upTo: event.id };
      } else {
        this.#gap = { from: event.id, to: event.id };
      }
    } else {
      this.#buffer.push(event);
      this.#lastQueued = event.id;
    }
    this.#wake();
  }

  /** Events waiting in the buffer (for tests and metrics). */
  get buffered(): number {
    return this.#buffer.length;
  }

  next(): Promise<IteratorResult<TalonEvent | GapEvent>> {
    if (this.#closed) return Promise.resolve({ value: undefined, done: true });
    const item = this.#take();
    if (item) return Promise.resolve({ value: item, done: false });
    if (this.#closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.#waiter = () => {
        this.#waiter = null;
        resolve(this.next());
      };
    });
  }

  #take(): TalonEvent | GapEvent | undefined {
    const buffered = this.#buffer.shift();
    if (buffered) return buffered;
    if (this.#backlog) {
      const page = this.#bus.replay(this.#backlog.after, {
        ...this.#filter,
        limit: PAGE,
        upToId: this.#backlog.upTo,
      });
      if (page.length === 0) {
        this.#lastQueued = this.#backlog.upTo;
        this.#backlog = null;
        return undefined;
      }
      this.#buffer.push(...page);
      this.#backlog.after = page.at(-1)!.id;
      this.#lastQueued = this.#backlog.after;
      return this.#buffer.shift();
    }
    if (this.#gap) {
      const gap: GapEvent = { type: "gap", from_id: this.#gap.from, to_id: this.#gap.to };
      this.#lastQueued = this.#gap.to;
      this.#gap = null;
      return gap;
    }
    return undefined;
  }

  #wake(): void {
    this.#waiter?.();
  }

  /** Ends the subscription; a pending `next()` resolves done. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#buffer = [];
    this.#gap = null;
    this.#backlog = null;
    this.#bus.unsubscribe(this);
    this.#wake();
  }

  return(): Promise<IteratorResult<TalonEvent | GapEvent>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** Where an event belongs. */
export interface EventScope {
  agentId?: string | null;
  turnId?: string | null;
}

/** Persists events and fans them out to subscribers. */
export class EventBus {
  readonly #db: Database;
  readonly #bufferSize: number;
  readonly #subscribers = new Set<Subscription>();
  readonly #taps = new Set<{ types: readonly EventType[]; fn: (event: TalonEvent) => void }>();
  #closed = false;
  #flushTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(db: Database, options: { bufferSize: number }) {
    this.#db = db;
    this.#bufferSize = options.bufferSize;
  }

  /** Persists an event and offers it to every matching subscriber. */
  publish<T extends EventType>(
    type: T,
    data: z.infer<(typeof EventPayloads)[T]>,
    scope: EventScope = {},
  ): TalonEvent<T> {
    if (this.#closed) {
      throw new RangeError(`event bus is closed; cannot publish "${type}"`);
    }
    const event = appendEvent(this.#db, {
      ts: nowIso(),
      type,
      agent_id: scope.agentId ?? null,
      turn_id: scope.turnId ?? null,
      data,
    }) as TalonEvent<T>;
    if (this.#flushTimer === undefined && hasPendingTokens(this.#db)) {
      const timer = setTimeout(() => {
        this.#flushTimer = undefined;
        if (this.#db.isOpen) flushTokens(this.#db);
      }, TOKEN_FLUSH_MS);
      Deno.unrefTimer(timer);
      this.#flushTimer = timer;
    }
    for (const sub of this.#subscribers) sub.offer(event);
    for (const tap of this.#taps) {
      if (!tap.types.includes(type)) continue;
      try {
        tap.fn(event);
      } catch {
        // An observer's failure is its own; publishing goes on.
      }
    }
    return event;
  }

  /**
   * Calls `fn` synchronously with each event of `types` as it is published
   * (a kernel-internal observer, such as the Hands' per-run budget; not a
   * subscription). A throw from `fn` is ignored. Returns the removal function.
   */
  tap(types: readonly EventType[], fn: (event: TalonEvent) => void): () => void {
    const entry = { types, fn };
    this.#taps.add(entry);
    return () => this.#taps.delete(entry);
  }

  /** Writes the token deltas still waiting in memory (see kernel/store/events.ts). */
  flush(): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    flushTokens(this.#db);
  }

  /** Subscribes to live events, optionally replaying from `afterId`. */
  subscribe(options: SubscribeOptions = {}): Subscription {
    const sub = new Subscription(this, {
      ...options,
      bufferSize: options.bufferSize ?? this.#bufferSize,
      lastId: lastEventId(this.#db),
    });
    if (this.#closed) sub.close();
    else this.#subscribers.add(sub);
    return sub;
  }

  /** Persisted events after `afterId` matching `filter`. */
  replay(
    afterId: number,
    filter: EventFilter & { limit: number; upToId?: number },
  ): TalonEvent[] {
    return readEvents(this.#db, afterId, filter);
  }

  /** The newest `limit` persisted events of `types` (all when absent), newest first. */
  recent(filter: { limit: number; types?: readonly string[] }): TalonEvent[] {
    return recentEvents(this.#db, filter);
  }

  /**
   * A `gap` covering events after `afterId` that pruning already removed
   * from the log, or undefined when everything after it is still there.
   */
  prunedSince(afterId: number): GapEvent | undefined {
    const oldest = oldestEventId(this.#db);
    const end = oldest === undefined ? lastEventId(this.#db) : oldest - 1;
    return end > afterId ? { type: "gap", from_id: afterId + 1, to_id: end } : undefined;
  }

  /** @internal Called by {@link Subscription.close}. */
  unsubscribe(sub: Subscription): void {
    this.#subscribers.delete(sub);
  }

  /** Number of live subscriptions. */
  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /** Closes every subscription, stores pending token deltas and refuses further publishing. */
  close(): void {
    if (!this.#closed && this.#db.isOpen) this.flush();
    this.#closed = true;
    this.#taps.clear();
    for (const sub of [...this.#subscribers]) sub.close();
  }
}
