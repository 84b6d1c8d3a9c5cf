/**
 * `POST /api/auth/logout`: ends the session named by the cookie (if any) and
 * clears the cookie; 204. Cookie-authenticated, so the CSRF check applies.
 */
import { deleteCookie, getCookie } from "hono/cookie";
import { SESSION_COOKIE } from "../../../http/auth.ts";
import { route, type RouteHandlers } from "../../../http/define.ts";

export const handler: RouteHandlers = {
  POST: route("viewer", (c) => {
    const sessionId = getCookie(c, SESSION_COOKIE);
    if (sessionId) c.get("kernel").webSessions.end(sessionId);
    deleteCookie(c, SESSION_COOKIE, {
      path: "/",
      httpOnly: true,
      sameSite: "Strict",
      secure: new URL(c.req.url).protocol === "https:",
    });
    return c.body(null, 204);
  }),
};
