/**
 * What a route module under `routes/` exports: per-method handlers, each
 * with the least role allowed to call it and (API methods) what a success
 * answers: the schema of its JSON body, an SSE stream, or 204. The
 * generated manifest (`http/routes.gen.ts`) maps file paths to URL patterns.
 *
 * @module
 */
import type { Context } from "hono";
import type { z } from "zod";
import type { Kernel } from "../kernel/mod.ts";
import type { AuthVia, Role } from "../kernel/types.ts";
import type { Assets } from "./assets.ts";
import type { RateLimits } from "./rate_limit.ts";

/** The least role a route accepts: a token role, or `public` for no credential. */
export type RouteRole = Role | "public";

/** Who is calling. */
export interface Principal {
  /** The server's local credential (the CLI) or an API token. */
  kind: "local" | "token";
  /** The token id (`local` for the local credential). */
  id: string;
  role: Role;
  /** An `Authorization: Bearer` header or the dashboard session cookie. */
  via: AuthVia;
}

/** Hono environment of every route. */
export interface AppEnv {
  /** What `Deno.serve` knows about the connection (absent in in-process requests). */
  Bindings: { remoteAddr?: Deno.Addr };
  Variables: {
    kernel: Kernel;
    principal: Principal | undefined;
    requestId: string;
    /** Rate limiters of this app (the login route uses its own). */
    limits: RateLimits;
    /** CSP nonce of this response, for pages' boot script (hono secure-headers). */
    secureHeadersNonce?: string;
    /** The stylesheet and client bundles. */
    assets: Assets;
  };
}

/** A route handler. */
export type RouteContext = Context<AppEnv, string>;
/**
 * What an API method answers on success; a method that answers more than
 * one way (SSE or 204, JSON or SSE) names each.
 */
export interface RouteResponse {
  /** The schema of a JSON body (kernel/schemas, one per wire shape). */
  json?: z.core.$ZodType;
  /** A `text/event-stream`. */
  sse?: true;
  /** 204 No Content. */
  empty?: true;
  /** A file to save (`Content-Disposition: attachment`), e.g. a backup or an export. */
  download?: true;
}

/** One method of a route. */
export interface RouteMethod {
  role: RouteRole;
  handle: (c: RouteContext) => Response | Promise<Response>;
  /** An API method's success answers (the role-matrix test checks bodies against it). */
  response?: RouteResponse;
  /** An HTML page (http/page.tsx): without a session it redirects to `/login`. */
  page?: boolean;
}

/** HTTP methods a route module may define. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** A route module's `handler` export. */
export type RouteHandlers = Partial<Record<HttpMethod, RouteMethod>>;

/**
 * Declares one API method: the least role that may call it, its handler,
 * and what a success answers.
 */
export function route(
  role: RouteRole,
  handle: RouteMethod["handle"],
  response: RouteResponse,
): RouteMethod {
  return { role, handle, response };
}

/** A path parameter of the matched route (always present when routing matched). */
export function pathParam(c: RouteContext, name: string): string {
  const value = c.req.param(name);
  if (value === undefined) throw new TypeError(`route has no path parameter "${name}"`);
  return value;
}

/** Who is calling, as the audit log names them: `token:<id>` or `local:<id>`. */
export function actorOf(c: RouteContext): string {
  const principal = c.get("principal");
  return principal ? `${principal.kind}:${principal.id}` : "anonymous";
}
