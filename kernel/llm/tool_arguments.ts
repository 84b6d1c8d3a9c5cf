/**
 * Tool-call arguments as models send them: a JSON string (the norm), an object
 * (some local servers), a doubly encoded string, or broken JSON. Whatever
 * cannot be read becomes `{ "__invalid_arguments": "<raw>" }`, so the tool
 * layer can tell the model what went wrong instead of the turn failing.
 *
 * @module
 */

/** The key that carries unreadable raw arguments to the tool layer. */
export const INVALID_ARGUMENTS_KEY = "__invalid_arguments";

/** Arguments as a plain object; unreadable input is kept under {@link INVALID_ARGUMENTS_KEY}. */
export function parseToolArguments(raw: unknown): Record<string, unknown> {
  if (raw === undefined || raw === null) return {};
  if (isPlainObject(raw)) return raw;
  if (typeof raw !== "string") return { [INVALID_ARGUMENTS_KEY]: JSON.stringify(raw) };
  if (raw.trim() === "") return {};
  try {
    let value: unknown = JSON.parse(raw);
    if (typeof value === "string") value = JSON.parse(value);
    if (isPlainObject(value)) return value;
  } catch {
    // fall through: reported to the model as invalid
  }
  return { [INVALID_ARGUMENTS_KEY]: raw };
}

/** True for `{…}` values (not arrays, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
