/**
 * Every wire shape as a zod schema, by concept; `kernel/types.ts` re-exports
 * them all, the configuration file's included. Browser-safe: imports only zod
 * and the zod-free vocabularies (kernel/vocabulary.ts). The shapes islands
 * check forms with are written with `zod/mini` in modules of their own
 * (agent_manifest, schedule_input, budget_patch, token, auth, message_body;
 * see mini.ts), which islands import directly so a page ships only the
 * schemas its forms use; everything else here is classic zod.
 *
 * @module
 */
export * from "./common.ts";
export * from "./agent_manifest.ts";
export * from "./agent.ts";
export * from "./message_body.ts";
export * from "./session.ts";
export * from "./session_ops.ts";
export * from "./event.ts";
export * from "./role.ts";
export * from "./token.ts";
export * from "./auth.ts";
export * from "./budget_patch.ts";
export * from "./budget.ts";
export * from "./audit.ts";
export * from "./catalog.ts";
export * from "./openai.ts";
export * from "./skill.ts";
export * from "./config.ts";
export * from "./identity.ts";
export * from "./security_config.ts";
export * from "./approval.ts";
export * from "./schedule_input.ts";
export * from "./schedule.ts";
export * from "./hand.ts";
export * from "./mcp.ts";
export * from "./a2a.ts";
export * from "./memory.ts";
export * from "./security.ts";
