/**
 * `GET /api/security/audit` (admin): the security posture of this server —
 * defences on and off, who can reach which high-risk tools, tokens, MCP
 * servers, Hands, this process's permissions, file modes — and findings.
 */
import { route, type RouteHandlers } from "../../../http/define.ts";
import { SecurityPosture } from "../../../kernel/types.ts";

export const handler: RouteHandlers = {
  GET: route(
    "admin",
    async (c) => c.json(await c.get("kernel").securityPosture({ source: "server" })),
    { json: SecurityPosture },
  ),
};
