/**
 * Authentication and role checks. Every route but the public ones needs a
 * Bearer token: the server's local credential (from `server.json`, for the
 * CLI) or an API token. Roles rank viewer < operator < admin.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { TalonError } from "../kernel/mod.ts";
import { constantTimeEqual } from "../kernel/security/mod.ts";
import type { AppEnv, Principal, RouteRole } from "./define.ts";

const RANK: Record<RouteRole, number> = { public: 0, viewer: 1, operator: 2, admin: 3 };

/** Resolves the caller from the Authorization header; never rejects by itself. */
export function authenticate(localCredential?: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    let principal: Principal | undefined;
    if (match) {
      const presented = match[1]!;
      if (localCredential && constantTimeEqual(presented, localCredential)) {
        principal = { kind: "local", id: "local", role: "admin" };
      } else {
        const token = await c.get("kernel").tokens.verify(presented);
        if (token) principal = { kind: "token", id: token.id, role: token.role };
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
