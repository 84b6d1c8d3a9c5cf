/**
 * A {@link Clock} tests drive by hand: `advance()` moves time forward and
 * fires due timers in due-time order, letting promises settle between them.
 *
 * @module
 */
import type { Clock, ClockTimer } from "../../kernel/clock.ts";

interface Pending {
  timer: ClockTimer;
  due: number;
  seq: number;
  fn: () => void;
}

/** A manual clock starting at `start` (ms since the epoch, or an ISO string). */
export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  #pending: Pending[] = [];

  constructor(start: number | string = "2026-01-05T00:00:00Z") {
    this.#now = typeof start === "string" ? Date.parse(start) : start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): ClockTimer {
    const timer = { ref: ++this.#seq };
    this.#pending.push({ timer, due: this.#now + Math.max(0, ms), seq: timer.ref as number, fn });
    return timer;
  }

  clearTimeout(timer: ClockTimer): void {
    this.#pending = this.#pending.filter((p) => p.timer !== timer);
  }

  /** Timers not yet fired. */
  get pendingTimers(): number {
    return this.#pending.length;
  }

  /**
   * Moves time forward by `ms`, firing each timer that falls due on the way
   * at its due time, and letting microtasks and macrotasks settle after each.
   */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    for (;;) {
      await settle();
      const next = this.#pending
        .filter((p) => p.due <= end)
        .sort((a, b) => a.due - b.due || a.seq - b.seq)[0];
      if (!next) break;
      this.#pending = this.#pending.filter((p) => p !== next);
      this.#now = Math.max(this.#now, next.due);
      next.fn();
    }
    this.#now = end;
    await settle();
  }

  /** Sets the time to `iso` (forward only) through {@link advance}. */
  advanceTo(iso: string): Promise<void> {
    const target = Date.parse(iso);
    if (target < this.#now) throw new RangeError(`cannot move a FakeClock back to ${iso}`);
    return this.advance(target - this.#now);
  }
}

/** Lets pending promise callbacks and zero-delay tasks run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setTimeout(resolve, 0));
}
