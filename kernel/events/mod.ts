/**
 * The event bus: persisted log + bounded live fan-out with `gap` semantics.
 *
 * @module
 */
export { EventBus, type EventScope, type SubscribeOptions, Subscription } from "./bus.ts";
