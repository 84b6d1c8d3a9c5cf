/**
 * The one entry to Talon's wire contract, shared by the kernel, routes,
 * islands and the CLI: every zod schema (kernel/schemas/, by concept, config
 * included) with the types inferred from it, and the plain vocabularies the
 * schemas are built from (kernel/vocabulary.ts). Browser-safe: imports only
 * zod. An island that needs only a vocabulary imports kernel/vocabulary.ts
 * instead, and ships no zod.
 *
 * @module
 */
export * from "./schemas/mod.ts";
export { isJsonText } from "./vocabulary.ts";
