/**
 * Authentication and role checks. Every route but the public ones needs a
 * credential: an `Authorization: Bearer` header carrying the server's local
 * credential (from `server.json`, for the CLI) or an API token, or else the
 * `talon_session` cookie set by `POST /api/auth/login`. Roles rank
 * viewer < operator < admin.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { TalonError } from "../kernel/mod.ts";
import { constantTimeEqual } from "../kernel/security/mod.ts";
import { roleAtLeast } from "../kernel/types.ts";
import type { AppEnv, Principal, RouteRole } from "./define.ts";
import { clientIp, refuseIfLimited } from "./rate_limit.ts";

/** Name of the dashboard session cookie. */
export const SESSION_COOKIE = "talon_session";

/**
 * Resolves the caller from the Authorization header or, when there is none,
 * the session cookie; never rejects by itself. A request that sends a
 * header is judged by the header alone.
 */
export function authenticate(localCredential?: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const kernel = c.get("kernel");
    const header = c.req.header("authorization");
    let principal: Principal | undefined;
    if (header !== undefined) {
      const presented = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      if (presented === undefined) {
        // A malformed header never falls back to the cookie.
      } else if (localCredential && constantTimeEqual(presented, localCredential)) {
        principal = { kind: "local", id: "local", role: "admin", via: "bearer" };
      } else {
        // Failed tokens count against the IP's failed-credential limit before any KDF runs.
        const failures = c.get("limits").login;
        const ip = clientIp(c);
        refuseIfLimited(failures.wait(ip), "with invalid credentials from this address");
        const token = await kernel.tokens.verify(presented);
        if (token) principal = { kind: "token", id: token.id, role: token.role, via: "bearer" };
        else failures.take(ip);
      }
    } else {
      const sessionId = getCookie(c, SESSION_COOKIE);
      const session = sessionId ? kernel.webSessions.resolve(sessionId) : undefined;
      if (session) {
        principal = { kind: "token", id: session.token_id, role: session.role, via: "cookie" };
      }
    }
    c.set("principal", principal);
    await next();
  };
}

/** Refuses callers below `role`: 401 without credentials, 403 naming the role. */
export function authorize(role: RouteRole): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (role !== "public") {
      const principal = c.get("principal");
      if (!principal) {
        throw new TalonError(
          "unauthorized",
          "missing or invalid credentials; send Authorization: Bearer <token> or log in with POST /api/auth/login (create a token with `talon token create`)",
        );
      }
      if (!roleAtLeast(principal.role, role)) {
        throw new TalonError(
          "forbidden",
          `this needs the ${role} role; your token has ${principal.role}`,
        );
      }
    }
    await next();
  };
}
