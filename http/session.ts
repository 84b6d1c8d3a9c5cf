/**
 * Browser sessions: the one place that turns an API token into the
 * `talon_session` cookie and back. `POST /api/auth/login` (JSON, used by the
 * login island) and the `/login` form POST (no JavaScript) both call
 * {@link logIn}; `authenticate` (http/auth.ts) resolves the cookie through
 * the kernel's `webSessions`, which store only a hash of the session id and
 * end a token's sessions when it is revoked.
 *
 * @module
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { TalonError } from "../kernel/mod.ts";
import type { LoginResult } from "../kernel/types.ts";
import { SESSION_COOKIE } from "./auth.ts";
import { fromOtherSite } from "./csrf.ts";
import { actorOf, type AppEnv } from "./define.ts";
import { clientIp, refuseIfLimited } from "./rate_limit.ts";

function secure(c: Context<AppEnv>): boolean {
  return new URL(c.req.url).protocol === "https:";
}

/**
 * Verifies `token`, opens a session (ending the one the cookie named, if
 * any) and sets the cookie: `HttpOnly; SameSite=Strict; Path=/`, `Secure`
 * over https. Refuses a login a browser says came from another site
 * (`csrf_rejected`), too many failures from one address (`rate_limited`) and
 * a bad token (`unauthorized`).
 */
export async function logIn(c: Context<AppEnv>, token: string): Promise<LoginResult> {
  if (fromOtherSite(c)) {
    throw new TalonError(
      "csrf_rejected",
      "login from another site refused; open Talon's own /login page",
    );
  }
  const ip = clientIp(c);
  const limiter = c.get("limits").login;
  refuseIfLimited(limiter.take(ip), "logging in from this address");
  const kernel = c.get("kernel");
  const verified = await kernel.tokens.verify(token.trim());
  if (!verified) {
    throw new TalonError(
      "unauthorized",
      "that token is not valid (revoked, mistyped, or not a Talon API token); create one with `talon token create`",
    );
  }
  limiter.refund(ip);
  const previous = getCookie(c, SESSION_COOKIE);
  if (previous) kernel.webSessions.end(previous, { actor: `token:${verified.id}` });
  const session = kernel.webSessions.create(verified.id);
  setCookie(c, SESSION_COOKIE, session.id, {
    httpOnly: true,
    sameSite: "Strict",
    path: "/",
    maxAge: kernel.webSessions.ttlSeconds,
    secure: secure(c),
  });
  return { token_id: session.token_id, role: session.role, expires_at: session.expires_at };
}

/** Ends the caller's session (if any) and clears the cookie. */
export function logOut(c: Context<AppEnv>): void {
  const sessionId = getCookie(c, SESSION_COOKIE);
  if (sessionId) c.get("kernel").webSessions.end(sessionId, { actor: actorOf(c) });
  deleteCookie(c, SESSION_COOKIE, {
    path: "/",
    httpOnly: true,
    sameSite: "Strict",
    secure: secure(c),
  });
}
