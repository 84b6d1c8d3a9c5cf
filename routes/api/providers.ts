/** `GET /api/providers`: every provider entry, configured or not — never a key. */
import { route, type RouteHandlers } from "../../http/define.ts";
import { ProviderList } from "../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route(
    "viewer",
    (c) => c.json({ providers: c.get("kernel").providers.list() } satisfies ProviderList),
    { json: ProviderList },
  ),
};
