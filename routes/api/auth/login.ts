/**
 * `POST /api/auth/login` `{ "token": "tln_…" }`: exchanges an API token for
 * an HttpOnly, SameSite=Strict session cookie (`Secure` over https). A bad
 * token is a 401 that sets nothing; failed attempts are limited per client
 * IP (`[http.rate_limit] login_per_minute`), and a browser request from
 * another site is refused, so no page can log a visitor in as someone else.
 */
import { getCookie, setCookie } from "hono/cookie";
import { SESSION_COOKIE } from "../../../http/auth.ts";
import { readBody } from "../../../http/body.ts";
import { fromOtherSite } from "../../../http/csrf.ts";
import { route, type RouteHandlers } from "../../../http/define.ts";
import { clientIp, refuseIfLimited } from "../../../http/rate_limit.ts";
import { TalonError } from "../../../kernel/mod.ts";
import { LoginBody, type LoginResult } from "../../../kernel/types.ts";

export const handler: RouteHandlers = {
  POST: route("public", async (c) => {
    if (fromOtherSite(c)) {
      throw new TalonError("csrf_rejected", "login from another site refused");
    }
    const ip = clientIp(c);
    const limiter = c.get("limits").login;
    refuseIfLimited(limiter.take(ip), "logging in from this address");
    const { token } = await readBody(c, LoginBody);
    const kernel = c.get("kernel");
    const verified = await kernel.tokens.verify(token);
    if (!verified) {
      throw new TalonError(
        "unauthorized",
        "that token is not valid (revoked, mistyped, or not a Talon API token); create one with `talon token create`",
      );
    }
    limiter.refund(ip);
    const previous = getCookie(c, SESSION_COOKIE);
    if (previous) kernel.webSessions.end(previous);
    const session = kernel.webSessions.create(verified.id);
    setCookie(c, SESSION_COOKIE, session.id, {
      httpOnly: true,
      sameSite: "Strict",
      path: "/",
      maxAge: kernel.webSessions.ttlSeconds,
      secure: new URL(c.req.url).protocol === "https:",
    });
    const result: LoginResult = {
      token_id: session.token_id,
      role: session.role,
      expires_at: session.expires_at,
    };
    return c.json(result);
  }),
};
