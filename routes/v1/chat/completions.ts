/**
 * `POST /v1/chat/completions`: OpenAI-compatible chat with an agent. `model`
 * names the agent (name or id); the request's messages are an ephemeral
 * session behind the agent's system prompt and tools, so its own session is
 * untouched. Metered and audited as the agent. `stream: true` answers with
 * SSE chunks; a client that disconnects stops the turn.
 */
import { readBody } from "../../../http/body.ts";
import { streamCompletion } from "../../../http/completion_stream.ts";
import { actorOf, route, type RouteHandlers } from "../../../http/define.ts";
import { assertCompleted, completionOf, conversationOf } from "../../../kernel/mod.ts";
import { ChatCompletion, ChatCompletionBody } from "../../../kernel/types.ts";

export const handler: RouteHandlers = {
  POST: route("operator", async (c) => {
    const body = await readBody(c, ChatCompletionBody);
    const agents = c.get("kernel").agents;
    const agent = agents.get(body.model);
    const turn = agents.chat(agent.id, conversationOf(body), {
      actor: actorOf(c),
      signal: c.req.raw.signal,
    });
    const meta = {
      id: `chatcmpl-${turn.turn_id}`,
      created: Math.floor(Date.now() / 1000),
      model: agent.name,
    };
    if (body.stream) {
      return streamCompletion(c, agents.turnEvents(turn.turn_id, turn.after_id), {
        meta,
        includeUsage: body.stream_options?.include_usage === true,
      });
    }
    const result = await turn.result;
    assertCompleted(result);
    return c.json(completionOf(meta, { result, text: turn.text() }));
  }, { json: ChatCompletion, sse: true }),
};
