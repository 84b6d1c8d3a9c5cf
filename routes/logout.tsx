/** `POST /logout`: the layout's "Sign out" button; ends the session, back to `/login`. */
import type { RouteHandlers } from "../http/define.ts";
import { publicPage } from "../http/page.tsx";
import { logOut } from "../http/session.ts";

export const handler: RouteHandlers = {
  POST: publicPage((p) => {
    logOut(p.c);
    return p.redirect("/login");
  }),
};
