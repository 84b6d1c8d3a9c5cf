/** `GET /api/health`: liveness, no auth, no internals. */
import { route, type RouteHandlers } from "../../http/define.ts";
import { HealthStatus } from "../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route("public", (c) => c.json({ status: "ok" } satisfies HealthStatus), {
    json: HealthStatus,
  }),
};
