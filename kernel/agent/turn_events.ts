/**
 * Following one turn on the event bus: its events after a given id (replayed
 * from the log when late), ending with its `done` event.
 *
 * @module
 */
import type { EventBus } from "../events/mod.ts";
import type { TalonEvent } from "../types.ts";

/**
 * The events of turn `turnId` after `afterId`, ending with `done`. Gaps are
 * refilled from the log; `return()` ends the iteration at once, even while
 * it waits for the next event.
 */
export function followTurn(
  bus: EventBus,
  turnId: string,
  afterId: number,
): AsyncIterableIterator<TalonEvent> {
  const sub = bus.subscribe({ turnId, afterId, onGap: "replay" });
  let finished = false;
  const iterator: AsyncIterableIterator<TalonEvent> = {
    async next(): Promise<IteratorResult<TalonEvent>> {
      while (!finished) {
        const step = await sub.next();
        if (step.done) break;
        if (step.value.type === "gap") continue;
        if (step.value.type === "done") {
          finished = true;
          sub.close();
        }
        return { done: false, value: step.value };
      }
      return { done: true, value: undefined };
    },
    return(): Promise<IteratorResult<TalonEvent>> {
      finished = true;
      sub.close();
      return Promise.resolve({ done: true, value: undefined });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
