/**
 * The HTTP app: request ids and logs, security headers (CSP with a fresh
 * nonce per response), body limits, authentication (Bearer or session
 * cookie), rate limits, CSRF checks, the generated routes with their roles,
 * and the one error handler.
 *
 * @module
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { NONCE, secureHeaders } from "hono/secure-headers";
import { type Kernel, TalonError } from "../kernel/mod.ts";
import { authenticate, authorize } from "./auth.ts";
import { csrfGuard } from "./csrf.ts";
import type { AppEnv, HttpMethod } from "./define.ts";
import { handleError } from "./errors.ts";
import { createRateLimits, rateLimit } from "./rate_limit.ts";
import { ROUTES } from "./routes.gen.ts";

/** Options for {@link createApp}. */
export interface AppOptions {
  /** The local admin credential written to `server.json`. */
  localCredential?: string;
  /** Largest accepted request body, bytes. */
  maxBodyBytes?: number;
}

/** The Content-Security-Policy: no inline script without this response's nonce. */
const CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", NONCE],
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

/** Builds the Hono app serving `kernel`. */
export function createApp(kernel: Kernel, options: AppOptions = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const limits = createRateLimits(kernel.config.http.rate_limit);
  app.use(async (c, next) => {
    const requestId = crypto.randomUUID();
    const started = performance.now();
    c.set("kernel", kernel);
    c.set("limits", limits);
    c.set("requestId", requestId);
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
  app.use(
    bodyLimit({
      maxSize: options.maxBodyBytes ?? 1024 * 1024,
      onError: (c) =>
        c.json({
          error: {
            code: "payload_too_large",
            message: `request body is larger than ${options.maxBodyBytes ?? 1024 * 1024} bytes`,
          },
        }, 413),
    }),
  );
  app.use(authenticate(options.localCredential));
  app.use(rateLimit());
  app.use(csrfGuard());
  for (const { pattern, module } of ROUTES) {
    for (const method of METHODS) {
      const def = module.handler[method];
      if (def) app.on(method, pattern, authorize(def.role), (c) => def.handle(c));
    }
  }
  app.notFound((c) =>
    c.json(
      { error: { code: "not_found", message: `no route for ${c.req.method} ${c.req.path}` } },
      404,
    )
  );
  app.onError(handleError);
  return app;
}
