/** `GET /api/models`: the model catalog (prices per million tokens, context windows, aliases). */
import { route, type RouteHandlers } from "../../http/define.ts";
import { ModelList } from "../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route(
    "viewer",
    (c) => c.json({ models: c.get("kernel").providers.catalog.list() } satisfies ModelList),
    { json: ModelList },
  ),
};
