/**
 * `POST /api/auth/logout`: ends the session named by the cookie (if any) and
 * clears the cookie; 204. Cookie-authenticated, so the CSRF check applies.
 */
import { route, type RouteHandlers } from "../../../http/define.ts";
import { logOut } from "../../../http/session.ts";

export const handler: RouteHandlers = {
  POST: route("viewer", (c) => {
    logOut(c);
    return c.body(null, 204);
  }, { empty: true }),
};
