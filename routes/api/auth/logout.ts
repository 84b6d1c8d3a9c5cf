/** `POST /api/auth/logout`: end the caller's session and clear the cookie. */
import { route, type RouteHandlers } from "../../../http/define.ts";
import { logOut } from "../../../http/session.ts";

export const handler: RouteHandlers = {
  POST: route("public", (c) => {
    logOut(c);
    return c.body(null, 204);
  }),
};
