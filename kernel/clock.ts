/**
 * The kernel's one time seam. The scheduler, approvals and the budget ledger
 * read the time and set timers through a {@link Clock}, so tests can drive a
 * fake one instead of waiting on wall time.
 *
 * @module
 */

/** A timer set through a {@link Clock}; pass it back to `clearTimeout`. */
export interface ClockTimer {
  /** The underlying timer handle; opaque to callers. */
  readonly ref: unknown;
}

/** Time and timers. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` once after `ms` milliseconds. The timer never keeps the process alive. */
  setTimeout(fn: () => void, ms: number): ClockTimer;
  /** Cancels a timer; a no-op for one that fired or was cleared. */
  clearTimeout(timer: ClockTimer): void;
}

/** The real clock: `Date.now()` and unref'd `setTimeout`s. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    // setTimeout's delay is a 32-bit signed int: longer waits re-arm.
    const MAX = 2_147_483_647;
    const timer: { ref: ReturnType<typeof setTimeout> | undefined } = { ref: undefined };
    const arm = (left: number) => {
      timer.ref = setTimeout(() => {
        if (left > MAX) arm(left - MAX);
        else fn();
      }, Math.min(Math.max(0, left), MAX));
      Deno.unrefTimer(timer.ref);
    };
    arm(ms);
    return timer;
  },
  clearTimeout(timer) {
    clearTimeout((timer as { ref: ReturnType<typeof setTimeout> }).ref);
  },
};
