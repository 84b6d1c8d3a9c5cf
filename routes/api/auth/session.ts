/** `GET /api/auth/session`: who the caller is — token id, role, and bearer or cookie. */
import { route, type RouteHandlers } from "../../../http/define.ts";
import { SessionInfo } from "../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => {
    const principal = c.get("principal")!;
    return c.json(
      { token_id: principal.id, role: principal.role, via: principal.via } satisfies SessionInfo,
    );
  }, { json: SessionInfo }),
};
