/**
 * In-memory rate limits: fixed one-minute windows per API token and per
 * client IP, and a stricter one for failed credentials (logins and invalid
 * Bearer tokens, each of which may cost a run of the slow KDF). Buckets are kept in
 * window order, so expired ones are dropped from the front as new keys
 * arrive, and at most `maxKeys` are held however many clients there are.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import { type RateLimitConfig, TalonError } from "../kernel/mod.ts";
import type { AppEnv } from "./define.ts";

/** Options for {@link FixedWindowLimiter}. */
export interface LimiterOptions {
  /** Requests allowed per window and key. */
  limit: number;
  /** Window length, ms (default one minute). */
  windowMs?: number;
  /** Most keys remembered at once; the oldest window is forgotten first. */
  maxKeys?: number;
  /** Monotonic milliseconds; tests pass a fake clock. */
  now?: () => number;
}

interface Bucket {
  start: number;
  count: number;
}

/** Counts requests per key in fixed windows. */
export class FixedWindowLimiter {
  readonly limit: number;
  readonly #windowMs: number;
  readonly #maxKeys: number;
  readonly #now: () => number;
  // Insertion order is window-start order: a key moves to the end when its window restarts.
  readonly #buckets = new Map<string, Bucket>();

  constructor(options: LimiterOptions) {
    if (!(options.limit >= 1)) throw new RangeError("limit must be at least 1");
    this.limit = options.limit;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#maxKeys = options.maxKeys ?? 10_000;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Number of keys held now. */
  get size(): number {
    return this.#buckets.size;
  }

  /** Counts one request for `key`: 0 when allowed, else ms until the window ends. */
  take(key: string): number {
    const now = this.#now();
    let bucket = this.#buckets.get(key);
    if (bucket && now - bucket.start >= this.#windowMs) {
      this.#buckets.delete(key);
      bucket = undefined;
    }
    if (!bucket) {
      this.#evict(now);
      bucket = { start: now, count: 0 };
      this.#buckets.set(key, bucket);
    }
    if (bucket.count >= this.limit) {
      return Math.max(1, Math.ceil(bucket.start + this.#windowMs - now));
    }
    bucket.count++;
    return 0;
  }

  /** Ms until `key` may make a request (0: now), without counting one. */
  wait(key: string): number {
    const now = this.#now();
    const bucket = this.#buckets.get(key);
    if (!bucket || now - bucket.start >= this.#windowMs || bucket.count < this.limit) return 0;
    return Math.max(1, Math.ceil(bucket.start + this.#windowMs - now));
  }

  /** Gives back one request counted for `key` in its current window. */
  refund(key: string): void {
    const bucket = this.#buckets.get(key);
    if (bucket && bucket.count > 0) bucket.count--;
  }

  #evict(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      if (this.#buckets.size < this.#maxKeys && now - bucket.start < this.#windowMs) break;
      this.#buckets.delete(key);
    }
  }
}

/** The limiters of one app. */
export interface RateLimits {
  perToken: FixedWindowLimiter;
  perIp: FixedWindowLimiter;
  /** Failed credentials per IP: logins and invalid Bearer tokens. */
  login: FixedWindowLimiter;
}

/** Limiters with the configured per-minute limits. */
export function createRateLimits(config: RateLimitConfig): RateLimits {
  return {
    perToken: new FixedWindowLimiter({ limit: config.requests_per_minute }),
    perIp: new FixedWindowLimiter({ limit: config.per_ip_per_minute }),
    login: new FixedWindowLimiter({ limit: config.login_per_minute }),
  };
}

/** The client's IP address as `Deno.serve` saw it (`unknown` for in-process requests). */
export function clientIp(c: Context<AppEnv>): string {
  const addr = c.env?.remoteAddr;
  return addr && "hostname" in addr ? addr.hostname : "unknown";
}

/** Throws `rate_limited` (429 with Retry-After) when `waitMs` is positive. */
export function refuseIfLimited(waitMs: number, what: string): void {
  if (waitMs === 0) return;
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  throw new TalonError(
    "rate_limited",
    `too many requests ${what}; retry in ${seconds} s`,
    { details: { retry_after_ms: waitMs } },
  );
}

/**
 * Counts each request against its client IP and, once authenticated, its
 * token. `/api/health` and the local CLI credential are not limited.
 */
export function rateLimit(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const limits = c.get("limits");
    const principal = c.get("principal");
    if (principal?.kind !== "local" && c.req.path !== "/api/health") {
      refuseIfLimited(limits.perIp.take(clientIp(c)), "from this address");
      if (principal) refuseIfLimited(limits.perToken.take(principal.id), "with this token");
    }
    await next();
  };
}
