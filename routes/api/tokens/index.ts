/** `GET /api/tokens` (list), `POST /api/tokens` (create; the token is in the response once). */
import { readBody } from "../../../http/body.ts";
import { actorOf, route, type RouteHandlers } from "../../../http/define.ts";
import { CreatedToken, CreateTokenBody, TokenList } from "../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route(
    "admin",
    (c) => c.json({ tokens: c.get("kernel").tokens.list() } satisfies TokenList),
    {
      json: TokenList,
    },
  ),
  POST: route("admin", async (c) => {
    const body = await readBody(c, CreateTokenBody);
    return c.json(await c.get("kernel").tokens.create({ ...body, actor: actorOf(c) }), 201);
  }, { json: CreatedToken }),
};
