/**
 * Checks a command's request against its wire schema before anything
 * connects, so bad flags exit 2 naming the field and write nothing.
 *
 * @module
 */
import { parseOrRefuse } from "../../kernel/types.ts";
import type { z } from "zod";

/** `value` parsed with `schema`, or `invalid_input` naming each bad field (exit 2). */
export function checked<S extends z.core.$ZodType>(
  schema: S,
  value: unknown,
  what: string,
): z.output<S> {
  return parseOrRefuse(schema, value, { prefix: `invalid ${what}` });
}

/** A string flag's value, or undefined when it was not given. */
export function flag(values: Record<string, unknown>, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}
