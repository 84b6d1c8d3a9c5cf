/**
 * Wire shapes shared by the kernel, routes, islands and the CLI: one zod
 * schema per shape, types inferred from it. Browser-safe: imports only zod.
 *
 * @module
 */
export * from "./schemas/mod.ts";
