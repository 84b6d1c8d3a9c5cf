/**
 * Shapes every API shares: the error body, paging, and how zod issues are worded.
 *
 * @module
 */
import { z } from "zod";

/** The error body every API failure returns. */
export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
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

/** Formats zod issues as one line naming each field path. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      const keys = issue.keys.map((k) => (path ? `${path}.${k}` : k));
      return `unknown field ${keys.map((k) => `"${k}"`).join(", ")}`;
    }
    return path ? `${path}: ${issue.message}` : issue.message;
  }).join("; ");
}
