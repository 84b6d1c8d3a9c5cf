/**
 * Talon's version, read from `deno.json` so there is one source of truth.
 *
 * @module
 */
import meta from "../deno.json" with { type: "json" };

/** The running Talon's version. */
export const VERSION: string = meta.version;
