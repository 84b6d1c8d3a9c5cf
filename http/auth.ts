/**
 * Authentication and role checks. Every route but the public ones needs a
 * credential: a Bearer token (the server's local credential from
 * `server.json`, for the CLI, or an API token) or the browser's session
 * cookie (http/session.ts). Cookie-authenticated requests that change
 * something must come from our own origin (`Origin` header), which `fetch`
 * and forms on our pages satisfy. Roles rank viewer < operator < admin.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import { TalonError } from "../kernel/mod.ts";
import { constantTimeEqual } from "../kernel/security/mod.ts";
import type { AppEnv, Principal, RouteRole } from "./define.ts";
import { sessionPrincipal } from "./session.ts";

const RANK: Record<RouteRole, number> = { public: 0, viewer: 1, operator: 2, admin: 3 };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** True when the request's `Origin` is the server's own (by the `Host` it was sent to). */
export function sameOrigin(c: Context<AppEnv>): boolean {
  const origin = c.req.header("origin");
  const host = c.req.header("host");
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * Resolves the caller from the Authorization header, else the session
 * cookie; never rejects by itself, except a cookie-authenticated change
 * from another origin (403).
 */
export function authenticate(localCredential?: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    let principal: Principal | undefined;
    if (match) {
      const presented = match[1]!;
      if (localCredential && constantTimeEqual(presented, localCredential)) {
        principal = { kind: "local", id: "local", role: "admin", via: "bearer" };
      } else {
        const token = await c.get("kernel").tokens.verify(presented);
        if (token) principal = { kind: "token", id: token.id, role: token.role, via: "bearer" };
      }
    } else {
      principal = sessionPrincipal(c);
      if (principal && !SAFE_METHODS.has(c.req.method) && !sameOrigin(c)) {
        throw new TalonError(
          "forbidden",
          "cross-origin request refused: requests authenticated by the session cookie must come from Talon's own pages",
        );
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
          "missing or invalid credentials; send Authorization: Bearer <token> (create one with `talon token create`)",
        );
      }
      if (RANK[principal.role] < RANK[role]) {
        throw new TalonError(
          "forbidden",
          `this needs the ${role} role; your token has ${principal.role}`,
        );
      }
    }
    await next();
  };
}
