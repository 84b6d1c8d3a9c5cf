/** `DELETE /api/tokens/{id}`: revoke a token. */
import { actorOf, pathParam, route, type RouteHandlers } from "../../../http/define.ts";
import { TokenView } from "../../../kernel/types.ts";

export const handler: RouteHandlers = {
  DELETE: route(
    "admin",
    (c) => c.json(c.get("kernel").tokens.revoke(pathParam(c, "id"), { actor: actorOf(c) })),
    {
      json: TokenView,
    },
  ),
};
