/**
 * The event bus: persisted log + bounded live fan-out with `gap` semantics.
 *
 * @module
 */
export {
  EventBus,
  type EventScope,
  type SubscribeOptions,
  Subscription,
  TOKEN_FLUSH_MS,
} from "./bus.ts";
