/**
 * Checks a command's request against its wire schema before anything
 * connects, so bad flags exit 2 naming the field and write nothing.
 *
 * @module
 */
import type { z } from "zod";
import { TalonError } from "../../kernel/mod.ts";
import { describeIssues, issueFields } from "../../kernel/types.ts";

/** `value` parsed with `schema`, or `invalid_input` naming each bad field (exit 2). */
export function checked<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new TalonError("invalid_input", `invalid ${what}: ${describeIssues(parsed.error)}`, {
    cause: parsed.error,
    fields: issueFields(parsed.error),
  });
}

/** A string flag's value, or undefined when it was not given. */
export function flag(values: Record<string, unknown>, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}
