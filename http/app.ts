/**
 * The HTTP app: request ids and logs, security headers (a nonce CSP: the
 * only scripts that run are the pages' nonce'd boot script and what it
 * imports), body limits, static assets under `/static/`, authentication
 * (Bearer or session cookie), rate limits, CSRF checks, the generated routes
 * (API handlers and HTML pages) with their roles, and the one error handler.
 * Page modules, and the page renderer for the not-found page, are imported on
 * their first request: Preact and server rendering are not start-up cost.
 *
 * @module
 */
import { Hono } from "hono";
import { NONCE, secureHeaders } from "hono/secure-headers";
import { type Kernel, TalonError } from "../kernel/mod.ts";
import { type Assets, createAssets } from "./assets.ts";
import { limitBody } from "./body_limit.ts";
import { authenticate, authorize } from "./auth.ts";
import { csrfGuard } from "./csrf.ts";
import type { AppEnv, HttpMethod } from "./define.ts";
import { errorBody, handleError } from "./errors.ts";
import { createRateLimits, rateLimit } from "./rate_limit.ts";
import { ROUTES } from "./routes.gen.ts";

/** Options for {@link createApp}. */
export interface AppOptions {
  /** The local admin credential written to `server.json`. */
  localCredential?: string;
  /** Largest accepted request body, bytes. */
  maxBodyBytes?: number;
  /** Stylesheet and client bundles (http/assets.ts `loadAssets`); default: no bundles. */
  assets?: Assets;
}

const IMMUTABLE = "public, max-age=31536000, immutable";

/**
 * The Content-Security-Policy: no script without this response's nonce,
 * except what a nonce'd script imports ('strict-dynamic': the islands).
 */
const CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", NONCE, "'strict-dynamic'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", "data:"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

const METHODS: HttpMethod[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** `load`, run once: its first promise is reused (a failed one is retried). */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => {
    promise ??= load().catch((error) => {
      promise = undefined;
      throw error;
    });
    return promise;
  };
}

/** Builds the Hono app serving `kernel`. */
export function createApp(kernel: Kernel, options: AppOptions = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const limits = createRateLimits(kernel.config.http.rate_limit);
  const assets = options.assets ?? createAssets();
  app.use(async (c, next) => {
    const requestId = crypto.randomUUID();
    const started = performance.now();
    c.set("kernel", kernel);
    c.set("limits", limits);
    c.set("requestId", requestId);
    c.set("assets", assets);
    c.header("x-request-id", requestId);
    if (kernel.closing) {
      throw new TalonError("shutting_down", "Talon is shutting down; retry after it restarts");
    }
    await next();
    kernel.log.info("request", {
      request_id: requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
      token_id: c.get("principal")?.id ?? null,
    });
  });
  app.use(secureHeaders({
    contentSecurityPolicy: CSP,
    referrerPolicy: "no-referrer",
    xFrameOptions: "DENY",
    xContentTypeOptions: "nosniff",
  }));
  app.use("/api/*", async (c, next) => {
    await next();
    c.header("cache-control", "no-store");
  });
  app.use(limitBody(options.maxBodyBytes ?? 1024 * 1024));
  app.get("/static/*", (c) => {
    const file = assets.files.get(c.req.path.slice("/static/".length));
    if (!file) return c.text("not found", 404);
    return c.body(file.body, 200, { "content-type": file.type, "cache-control": IMMUTABLE });
  });
  app.use(authenticate(options.localCredential));
  app.use(rateLimit());
  app.use(csrfGuard());
  for (const entry of ROUTES) {
    if ("module" in entry) {
      for (const method of METHODS) {
        const def = entry.module.handler[method];
        // Pages check their role themselves: no session redirects to /login.
        if (def?.page) app.on(method, entry.pattern, (c) => def.handle(c));
        else if (def) app.on(method, entry.pattern, authorize(def.role), (c) => def.handle(c));
      }
      continue;
    }
    const load = once(entry.load);
    // A method the module does not define falls through, as if unregistered.
    app.on(METHODS, entry.pattern, async (c, next) => {
      const def = (await load()).handler[c.req.method as HttpMethod];
      if (!def) return await next();
      if (def.page) return await def.handle(c);
      let res: Response | undefined;
      await authorize(def.role)(c, async () => {
        res = await def.handle(c);
      });
      return res ?? c.res;
    });
  }
  const notFoundPage = once(async () => {
    const { errorPage, publicPage } = await import("./page.tsx");
    return publicPage((p) =>
      errorPage(p, new TalonError("not_found", `There is no page at ${p.url.pathname}.`))
    );
  });
  app.notFound(async (c) =>
    c.req.path.startsWith("/api/") || c.req.path.startsWith("/v1/") || c.req.method !== "GET"
      ? c.json(errorBody("not_found", `no route for ${c.req.method} ${c.req.path}`), 404)
      : await (await notFoundPage()).handle(c)
  );
  app.onError(handleError);
  return app;
}
