/** `GET /api/providers`: every provider entry, configured or not — never a key. */
import { route, type RouteHandlers } from "../../http/define.ts";

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => {
    const providers = c.get("kernel").providers;
    const chosen = providers.defaultProvider.name;
    return c.json({
      providers: providers.list().map((p) => ({ ...p, default: p.name === chosen })),
    });
  }),
};
