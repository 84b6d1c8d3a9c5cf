/**
 * Every wire shape as a zod schema, by concept; `kernel/types.ts` re-exports
 * them all, the configuration file's included. Browser-safe: imports only zod
 * and the zod-free vocabularies (kernel/vocabulary.ts).
 *
 * @module
 */
export * from "./common.ts";
export * from "./agent.ts";
export * from "./session.ts";
export * from "./event.ts";
export * from "./role.ts";
export * from "./token.ts";
export * from "./auth.ts";
export * from "./budget.ts";
export * from "./audit.ts";
export * from "./catalog.ts";
export * from "./openai.ts";
export * from "./skill.ts";
export * from "./config.ts";
export * from "./approval.ts";
export * from "./schedule.ts";
export * from "./memory.ts";
