/** `GET /api/auth/session`: who the caller is and whether by Bearer token or cookie. */
import { route, type RouteHandlers } from "../../../http/define.ts";
import type { SessionInfo } from "../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => {
    const principal = c.get("principal")!;
    const body: SessionInfo = { token_id: principal.id, role: principal.role, via: principal.via };
    return c.json(body);
  }),
};
