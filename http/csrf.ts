/**
 * CSRF protection for cookie-authenticated requests. A browser attaches the
 * session cookie to requests that other sites trigger, so an unsafe method
 * (POST, PUT, PATCH, DELETE) authenticated by the cookie must come from this
 * origin: its `Origin` header must equal the request's own origin or, when a
 * browser sends no Origin (or `Origin: null`, as it does for a plain form
 * POST under our `Referrer-Policy: no-referrer`), `Sec-Fetch-Site` must be
 * `same-origin`. Requests
 * with an `Authorization` header are exempt: browsers never add one on
 * their own. (hono/csrf checks only form content types and answers in its
 * own format, so this small middleware does the job.)
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import { TalonError } from "../kernel/mod.ts";
import type { AppEnv } from "./define.ts";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** True when the request shows it came from this origin (Origin, else Sec-Fetch-Site). */
export function fromSameOrigin(c: Context<AppEnv>): boolean {
  const origin = c.req.header("origin");
  if (origin !== undefined && origin !== "null") return origin === new URL(c.req.url).origin;
  return c.req.header("sec-fetch-site") === "same-origin";
}

/**
 * True when a browser says the request came from elsewhere: an Origin that
 * is not ours, or a Sec-Fetch-Site other than same-origin/none. Clients that
 * send neither (curl, the CLI) are not cross-site.
 */
export function fromOtherSite(c: Context<AppEnv>): boolean {
  const origin = c.req.header("origin");
  if (origin !== undefined) return origin !== new URL(c.req.url).origin;
  const site = c.req.header("sec-fetch-site");
  return site !== undefined && site !== "same-origin" && site !== "none";
}

/** Refuses cookie-authenticated unsafe requests from other origins with 403 `csrf_rejected`. */
export function csrfGuard(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.get("principal")?.via === "cookie" && !SAFE.has(c.req.method) && !fromSameOrigin(c)) {
      throw new TalonError(
        "csrf_rejected",
        "cross-site request refused: a request authenticated by the session cookie must come from this origin (send Origin or Sec-Fetch-Site: same-origin), or use Authorization: Bearer",
      );
    }
    await next();
  };
}
