/**
 * Shapes every API shares: the error body, paging, and how zod issues are worded.
 *
 * @module
 */
import { z } from "zod";
import { TalonError, type TalonErrorCode } from "../errors.ts";

/**
 * The error body every API failure returns. `fields` maps dotted paths with
 * numeric indices (`name`, `resources.max_iterations`, `capabilities.2`) to
 * messages, for a refusal that concerns particular fields; `details` is
 * structured context the kernel attached (never secrets).
 */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
/** An API error body. */
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Paging on lists that grow: `limit` (default 50, max 500) and a `before` cursor. */
export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.string().min(1).max(100).optional(),
});
/** Paging options. */
export type PageQuery = z.infer<typeof PageQuery>;

/** The dotted path of a zod issue path: `["capabilities", 2]` → `capabilities.2`. */
export function dottedPath(path: readonly PropertyKey[]): string {
  return path.map(String).join(".");
}

/**
 * Zod issues as messages by dotted field path (the first issue on a path
 * wins); an unknown key is reported at its own path. Issues about the whole
 * value (an empty path) are left out: they concern no one field.
 */
export function issueFields(error: z.core.$ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) fields[dottedPath([...issue.path, key])] ??= "unknown field";
      continue;
    }
    if (issue.path.length > 0) fields[dottedPath(issue.path)] ??= issue.message;
  }
  return fields;
}

/** Formats zod issues as one line naming each field path. */
export function describeIssues(error: z.core.$ZodError): string {
  return error.issues.map((issue) => {
    const path = dottedPath(issue.path);
    if (issue.code === "unrecognized_keys") {
      const keys = issue.keys.map((k) => (path ? `${path}.${k}` : k));
      return `unknown field ${keys.map((k) => `"${k}"`).join(", ")}`;
    }
    return path ? `${path}: ${issue.message}` : issue.message;
  }).join("; ");
}

/**
 * Parses `value` with `schema` (classic zod or `zod/mini`), or throws the
 * refusal every boundary sends for bad input: a `TalonError` with `code`
 * (default `invalid_input`), the issues in one line after `prefix` (e.g.
 * `invalid body`), and each field's message in `fields`.
 */
export function parseOrRefuse<S extends z.core.$ZodType>(
  schema: S,
  value: unknown,
  options: { code?: TalonErrorCode; prefix?: string } = {},
): z.output<S> {
  const parsed = z.safeParse(schema, value);
  if (parsed.success) return parsed.data;
  const issues = describeIssues(parsed.error);
  throw new TalonError(
    options.code ?? "invalid_input",
    options.prefix ? `${options.prefix}: ${issues}` : issues,
    { cause: parsed.error, fields: issueFields(parsed.error) },
  );
}
