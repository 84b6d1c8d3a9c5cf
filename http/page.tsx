/**
 * HTML pages. A `.tsx` module under `routes/` is a page when its handlers
 * come from {@link page} (signed-in callers with at least a role) or
 * {@link publicPage} (anyone). The handler gets a {@link PageRequest} and
 * returns JSX (rendered with status 200), `p.render(jsx, { status })`,
 * `p.redirect(path)` (303, keeping cookies set on `p.c`), or any Response:
 *
 * ```tsx
 * // routes/agents/[id].tsx → /agents/:id
 * export const handler: RouteHandlers = {
 *   GET: page("viewer", (p) => {
 *     const agent = p.kernel.agents.get(pathParam(p.c, "id"));
 *     return <Layout page={p} title={agent.name}>…</Layout>;
 *   }),
 * };
 * ```
 *
 * Without a session a page answers 303 to `/login?next=<path>`; below its
 * role it renders a 403 page. A `TalonError` thrown by the handler renders
 * an error page with the code's status and message; anything else is a 500
 * page naming the request id. Pages render with the request's CSP nonce
 * (`c.get("secureHeadersNonce")`) on their one module script.
 *
 * @module
 */
import type { JSX } from "preact";
import { Document } from "../components/Document.tsx";
import { ErrorState } from "../components/ErrorState.tsx";
import { Layout } from "../components/Layout.tsx";
import { type Kernel, TalonError } from "../kernel/mod.ts";
import { type Role, roleAtLeast } from "../kernel/types.ts";
import type { Principal, RouteContext, RouteMethod } from "./define.ts";
import { statusOf } from "./errors.ts";
import { renderDocument } from "./islands.tsx";

/** What a page handler gets. */
export interface PublicPageRequest {
  c: RouteContext;
  kernel: Kernel;
  principal: Principal | undefined;
  /** The request URL. */
  url: URL;
  /** Renders a document with a status (default 200). */
  render(vnode: JSX.Element, options?: { status?: number }): Response;
  /** A 303 redirect (with any cookies set on `c`); give a same-origin path. */
  redirect(location: string): Response;
}

/** What a page handler that needs a session gets: the principal is known. */
export interface PageRequest extends PublicPageRequest {
  principal: Principal;
}

type Result = JSX.Element | Response;

/** `next` when it is a path on this site, else `/` (no open redirects). */
export function safeNext(next: string | undefined | null): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || /[\\\s]/.test(next)) return "/";
  return next;
}

function renderer(c: RouteContext): PublicPageRequest["render"] {
  return (vnode, options = {}) =>
    c.html(
      renderDocument(vnode, { nonce: c.get("secureHeadersNonce"), assets: c.get("assets") }),
      (options.status ?? 200) as 200,
    );
}

function request(c: RouteContext): PublicPageRequest {
  return {
    c,
    kernel: c.get("kernel"),
    principal: c.get("principal"),
    url: new URL(c.req.url),
    render: renderer(c),
    redirect: (location) => c.redirect(location, 303),
  };
}

/** Renders an error page for `error`; inside the layout when someone is signed in. */
export function errorPage(p: PublicPageRequest, error: unknown): Response {
  let status = 500;
  let title = "Something went wrong";
  let message = `Internal error; see the server log for request ${p.c.get("requestId")}.`;
  if (error instanceof TalonError) {
    status = statusOf(error.code);
    title = status === 404 ? "Not found" : status === 403 ? "Not allowed" : "Request failed";
    message = error.message;
  } else {
    p.kernel.log.error("page failed", {
      request_id: p.c.get("requestId"),
      path: p.url.pathname,
      error: error instanceof Error ? { name: error.name, message: error.message } : error,
    });
  }
  const body = <ErrorState title={title} message={message} />;
  const principal = p.principal;
  return p.render(
    principal
      ? <Layout page={{ ...p, principal }} title={title}>{body}</Layout>
      : (
        <Document title={title}>
          <main class="bare">{body}</main>
        </Document>
      ),
    { status },
  );
}

async function run(
  p: PublicPageRequest,
  handler: (p: never) => Result | Promise<Result>,
): Promise<Response> {
  try {
    const result = await handler(p as never);
    return result instanceof Response ? result : p.render(result);
  } catch (error) {
    return errorPage(p, error);
  }
}

/** A page for signed-in callers with at least `role`. */
export function page(
  role: Role,
  handler: (p: PageRequest) => Result | Promise<Result>,
): RouteMethod {
  return {
    role,
    page: true,
    handle: (c) => {
      const p = request(c);
      if (!p.principal) {
        return p.redirect(`/login?next=${encodeURIComponent(p.url.pathname + p.url.search)}`);
      }
      if (!roleAtLeast(p.principal.role, role)) {
        return errorPage(
          p,
          new TalonError(
            "forbidden",
            `This page needs the ${role} role; you are signed in with ${p.principal.role}.`,
          ),
        );
      }
      return run(p, handler);
    },
  };
}

/** A page anyone may open (the login page). */
export function publicPage(
  handler: (p: PublicPageRequest) => Result | Promise<Result>,
): RouteMethod {
  return { role: "public", page: true, handle: (c) => run(request(c), handler) };
}
