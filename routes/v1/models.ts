/**
 * `GET /v1/models`: the agents the caller may chat with through
 * `/v1/chat/completions` — every live agent for an operator or admin,
 * none for a viewer — as OpenAI model objects named after the agents.
 */
import { route, type RouteHandlers } from "../../http/define.ts";
import { modelListOf } from "../../kernel/mod.ts";
import { OpenAIModelList, roleAtLeast } from "../../kernel/types.ts";

const LIMIT = 500;

export const handler: RouteHandlers = {
  GET: route("viewer", (c) => {
    const principal = c.get("principal");
    const mayChat = roleAtLeast(principal?.role, "operator");
    const agents = mayChat ? c.get("kernel").agents.list({ state: "running", limit: LIMIT }) : [];
    return c.json(modelListOf(agents));
  }, { json: OpenAIModelList }),
};
