/**
 * Refused requests (bad credentials, role refusals, cross-site posts) write
 * no audit entry — a flood of bad logins must not fill the chain — but a
 * rate-limited warning line: the first refusal of a kind from an address in
 * each window is logged, later ones are counted and reported with the next
 * line.
 *
 * @module
 */
import type { Context } from "hono";
import type { Logger } from "../kernel/mod.ts";
import type { AppEnv } from "./define.ts";
import { clientIp } from "./rate_limit.ts";

/** Error codes of refusals that are logged here instead of audited. */
export const LOGGED_REFUSALS: ReadonlySet<string> = new Set([
  "unauthorized",
  "forbidden",
  "csrf_rejected",
]);

/** One log line per refusal kind and address per window. */
export const REFUSAL_WINDOW_MS = 60_000;
const MAX_KEYS = 1024;

/** Counts refusals per (code, address) and logs at most one line per window. */
export class RefusalLog {
  readonly #seen = new Map<string, { until: number; suppressed: number }>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Records a refusal; logs it unless one of its kind was logged this window. */
  record(log: Logger, refusal: { code: string; ip: string; method: string; path: string }): void {
    const key = `${refusal.code} ${refusal.ip}`;
    const now = this.#now();
    const seen = this.#seen.get(key);
    if (seen && seen.until > now) {
      seen.suppressed++;
      return;
    }
    if (this.#seen.size >= MAX_KEYS) this.#seen.clear();
    this.#seen.set(key, { until: now + REFUSAL_WINDOW_MS, suppressed: 0 });
    log.warn("request refused", {
      ...refusal,
      suppressed_since_last: seen?.suppressed ?? 0,
    });
  }
}

const logs = new WeakMap<object, RefusalLog>();

/** Logs a refused request through the kernel's logger, rate-limited per server kernel. */
export function logRefusal(c: Context<AppEnv>, code: string): void {
  const kernel = c.get("kernel");
  if (!kernel || !LOGGED_REFUSALS.has(code)) return;
  let refusals = logs.get(kernel);
  if (!refusals) logs.set(kernel, refusals = new RefusalLog());
  refusals.record(kernel.log, {
    code,
    ip: clientIp(c),
    method: c.req.method,
    path: new URL(c.req.url).pathname,
  });
}
