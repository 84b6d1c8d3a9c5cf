/**
 * The secrets one kernel knows: the key shapes of {@link SECRET_PATTERNS}
 * plus the values of every configured secret (provider keys read through
 * `api_key_env`, the web search key, `env_read:` grants). Everything the
 * kernel streams out — token deltas, tool arguments and outputs, SSE frames,
 * `/v1` chunks — passes through {@link SecretSet.redact} or a
 * {@link StreamRedactor}, which holds back a tail long enough that a secret
 * split across deltas is still caught.
 *
 * @module
 */
import { REDACTED, SECRET_PATTERNS } from "./redact.ts";

/** A trailing run of characters a key or bearer token is made of. */
const KEY_TAIL = /(?:\bBearer\s*)?[A-Za-z0-9._~+/=-]*$/i;
/** A run longer than this is held back only by its last characters. */
const MAX_RUN_HOLD = 512;

/** Values shorter than this are not treated as secrets (they would mask ordinary words). */
export const MIN_SECRET_CHARS = 8;

interface Span {
  start: number;
  end: number;
}

/** Configured secret values plus key shapes; redacts text and JSON-like values. */
export class SecretSet {
  readonly #values = new Set<string>();
  /** Hosts each secret belongs to: sending it there is expected (a provider key to its API). */
  readonly #owners = new Map<string, Set<string>>();
  #sorted: string[] = [];

  /** Adds secret values; empty, missing and too-short values are ignored. */
  add(...values: (string | undefined | null)[]): this {
    for (const value of values) {
      if (typeof value !== "string" || value.trim().length < MIN_SECRET_CHARS) continue;
      this.#values.add(value);
    }
    this.#sorted = [...this.#values].sort((a, b) => b.length - a.length);
    return this;
  }

  /**
   * Adds a secret that belongs to `hosts` (lower-case host names): the
   * exfiltration guard lets it go there and nowhere else.
   */
  addOwned(value: string | undefined | null, hosts: readonly string[]): this {
    this.add(value);
    if (typeof value !== "string" || !this.#values.has(value)) return this;
    const owners = this.#owners.get(value) ?? new Set<string>();
    for (const host of hosts) owners.add(host.toLowerCase());
    this.#owners.set(value, owners);
    return this;
  }

  /** The hosts `value` belongs to; empty when it belongs to none. */
  ownersOf(value: string): ReadonlySet<string> {
    return this.#owners.get(value) ?? new Set();
  }

  /** The configured secret values, longest first. */
  values(): readonly string[] {
    return this.#sorted;
  }

  /** Number of configured secret values. */
  get size(): number {
    return this.#values.size;
  }

  /**
   * Where the part of `text` that a later delta could still turn into a
   * secret begins: the longest suffix that is a prefix of a configured value,
   * or the trailing run of key characters (with a `Bearer ` before it).
   */
  holdFrom(text: string): number {
    let from = text.length;
    for (const secret of this.#sorted) {
      for (let k = Math.min(secret.length - 1, text.length); k > 0; k--) {
        if (text.endsWith(secret.slice(0, k))) {
          from = Math.min(from, text.length - k);
          break;
        }
      }
    }
    const run = KEY_TAIL.exec(text);
    if (run && run.index < text.length) {
      from = Math.min(from, Math.max(run.index, text.length - MAX_RUN_HOLD));
    }
    return from;
  }

  /** `text` with every configured secret and key-shaped string masked. */
  redact(text: string): string {
    return mask(text, this.spans(text));
  }

  /** A copy of `value` with every string in it redacted (plain JSON data). */
  redactValue<T>(value: T): T {
    return walk(value, this) as T;
  }

  /** Sorted, merged ranges of `text` that are secrets. */
  spans(text: string): Span[] {
    const found: Span[] = [];
    for (const secret of this.#sorted) {
      for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + 1)) {
        found.push({ start: at, end: at + secret.length });
      }
    }
    for (const pattern of SECRET_PATTERNS) {
      for (const m of text.matchAll(pattern)) {
        found.push({ start: m.index, end: m.index + m[0].length });
      }
    }
    found.sort((a, b) => a.start - b.start || b.end - a.end);
    const merged: Span[] = [];
    for (const span of found) {
      const last = merged.at(-1);
      if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
      else merged.push({ ...span });
    }
    return merged;
  }

  /** A redactor for one stream of text deltas. */
  stream(): StreamRedactor {
    return new StreamRedactor(this);
  }
}

/**
 * Redacts a stream of deltas: `push` releases only text that no secret can
 * still reach into, `flush` releases the rest at the end of the stream.
 */
export class StreamRedactor {
  readonly #secrets: SecretSet;
  #pending = "";

  constructor(secrets: SecretSet) {
    this.#secrets = secrets;
  }

  /** Adds a delta; returns the redacted text now safe to release ("" if none). */
  push(delta: string): string {
    this.#pending += delta;
    return this.#release(false);
  }

  /** Releases everything held back, redacted. */
  flush(): string {
    return this.#release(true);
  }

  #release(all: boolean): string {
    const text = this.#pending;
    const spans = this.#secrets.spans(text);
    let cut = all ? text.length : this.#secrets.holdFrom(text);
    if (!all) {
      for (let i = spans.length - 1; i >= 0; i--) {
        const span = spans[i]!;
        // A match reaching the end may still grow; one across the cut must stay whole.
        if (span.start < cut && (span.end > cut || span.end === text.length)) cut = span.start;
      }
    }
    if (cut === 0) return "";
    this.#pending = text.slice(cut);
    return mask(text.slice(0, cut), spans.filter((s) => s.end <= cut));
  }
}

function mask(text: string, spans: readonly Span[]): string {
  if (spans.length === 0) return text;
  let out = "";
  let at = 0;
  for (const span of spans) {
    out += text.slice(at, span.start) + REDACTED;
    at = span.end;
  }
  return out + text.slice(at);
}

function walk(value: unknown, secrets: SecretSet, ancestors = new WeakSet<object>()): unknown {
  if (typeof value === "string") return secrets.redact(value);
  if (typeof value !== "object" || value === null) return value;
  if (ancestors.has(value)) return "[Circular]";
  // An Error's name and message are not own enumerable properties: keep them, redacted.
  if (value instanceof Error) return { name: value.name, message: secrets.redact(value.message) };
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => walk(v, secrets, ancestors));
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = walk(v, secrets, ancestors);
    return out;
  } finally {
    ancestors.delete(value);
  }
}

/** Where configured secrets come from. */
export interface SecretSources {
  /** Variables holding provider keys (`api_key_env`, OPENAI_API_KEY, ...). */
  keyEnvs: readonly (string | null | undefined)[];
  /** Variables whose values belong to hosts (a provider's key to its `base_url` host). */
  owned?: readonly { env: string | null | undefined; hosts: readonly string[] }[];
  /** The capabilities `max_capabilities` allows; `env_read:<KEY>` values are secrets. */
  capabilities: readonly string[];
  env: (key: string) => string | undefined;
}

/** The kernel's secret set from its configuration and environment. */
export function configuredSecrets(sources: SecretSources): SecretSet {
  const set = new SecretSet();
  const names = new Set<string>();
  for (const name of sources.keyEnvs) if (name) names.add(name);
  for (const cap of sources.capabilities) {
    if (cap.startsWith("env_read:") && cap !== "env_read:*") names.add(cap.slice(9));
  }
  for (const name of names) set.add(sources.env(name));
  for (const { env, hosts } of sources.owned ?? []) if (env) set.addOwned(sources.env(env), hosts);
  return set;
}
