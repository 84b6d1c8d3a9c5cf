/**
 * Secret redaction for logs, audit entries and outputs: keys that name
 * secrets lose their values, and strings shaped like keys or bearer tokens are
 * masked wherever they appear.
 *
 * @module
 */

const SECRET_KEY = /(api[_-]?key|token|secret|password|passwd|authorization|credential|cookie)/i;
/** Shapes of well-known keys and bearer tokens (global regexes). */
export const SECRET_PATTERNS: readonly RegExp[] = [
  /\bsk-(ant-)?[A-Za-z0-9_-]{16,}/g,
  /\btln_[A-Za-z0-9_-]{8,}/g,
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
];

/** The mask written in place of a secret. */
export const REDACTED = "[REDACTED]";

/** Masks secret-shaped substrings of `text`. */
export function redactText(text: string): string {
  let out = text;
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, REDACTED);
  return out;
}

/**
 * Returns a copy of `value` with secret-named keys masked and secret-shaped
 * strings redacted, at any depth (cycles are cut; shared objects are kept).
 */
export function redactSecrets(value: unknown): unknown {
  return walk(value, new WeakSet());
}

function walk(value: unknown, ancestors: WeakSet<object>): unknown {
  if (typeof value === "string") return redactText(value);
  if (typeof value !== "object" || value === null) return value;
  if (ancestors.has(value)) return "[Circular]";
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message) };
  }
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => walk(v, ancestors));
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] = isSecretKey(key) && v !== null && v !== undefined &&
          typeof v !== "number" && typeof v !== "boolean"
        ? REDACTED
        : walk(v, ancestors);
    }
    return out;
  } finally {
    ancestors.delete(value);
  }
}

function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !/_id$/.test(key);
}
