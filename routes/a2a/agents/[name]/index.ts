/**
 * `POST /a2a/agents/{name}`: the A2A JSON-RPC endpoint of an offered agent,
 * behind the API's auth. The caller's role gates each method:
 * `message/send`, `message/stream` and `tasks/cancel` (and their A2A 1.0
 * names) need operator, `tasks/get` viewer; a caller below gets 403 with a
 * JSON-RPC error naming the role. Streams answer as SSE.
 */
import { actorOf, pathParam, route, type RouteHandlers } from "../../../../http/define.ts";
import { handleA2aRequest } from "../../../../kernel/mod.ts";
import { A2aJsonRpcResponse } from "../../../../kernel/types.ts";

export const handler: RouteHandlers = {
  POST: route("viewer", (c) =>
    handleA2aRequest(c.get("kernel"), c.req.raw, {
      agent: pathParam(c, "name"),
      caller: { role: c.get("principal")!.role, actor: actorOf(c) },
    }), { json: A2aJsonRpcResponse, sse: true }),
};
