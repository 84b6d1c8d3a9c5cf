/**
 * A streamed OpenAI-compatible chat completion: the turn's token deltas as
 * `chat.completion.chunk` objects on `data:` lines, a final chunk with
 * `finish_reason`, a usage chunk when the client asked for one, then
 * `data: [DONE]`. Every chunk is redacted of the kernel's secrets. The text of successive model calls (around the agent's
 * tool rounds) is separated by a blank line, as in the non-streamed reply.
 * A turn that fails sends `{"error":{code,message}}`, which
 * OpenAI clients raise as an API error.
 *
 * @module
 */
import { streamSSE } from "hono/streaming";
import { chunkOf, type CompletionMeta } from "../kernel/mod.ts";
import type { TalonEvent, TurnResult } from "../kernel/types.ts";
import type { RouteContext } from "./define.ts";

/** Streams the completion of the turn whose events are `events`. */
export function streamCompletion(
  c: RouteContext,
  events: AsyncIterableIterator<TalonEvent>,
  options: { meta: CompletionMeta; includeUsage: boolean },
): Response {
  const { meta } = options;
  return streamSSE(c, async (stream) => {
    stream.onAbort(() => void events.return?.());
    const secrets = c.get("kernel").secrets;
    const send = (value: unknown) =>
      stream.writeSSE({ data: secrets.redact(JSON.stringify(value)) });
    try {
      await send(chunkOf(meta, { role: "assistant", content: "" }));
      let wrote = false;
      let separate = false;
      for await (const event of events) {
        if (stream.aborted) break;
        if (event.type === "token") {
          const text = (event as TalonEvent<"token">).data.text;
          await send(chunkOf(meta, { content: separate ? `\n\n${text}` : text }));
          wrote = true;
          separate = false;
        } else if (event.type === "tool_start") {
          separate = wrote;
        } else if (event.type === "done") {
          const result = (event as TalonEvent<"done">).data as TurnResult;
          if (result.status !== "completed") {
            await send({
              error: result.error ?? {
                code: "interrupted",
                message: `the agent's turn ended ${result.status} before it answered`,
              },
            });
            return;
          }
          await send(chunkOf(meta, { finish: "stop" }));
          if (options.includeUsage) await send(chunkOf(meta, { usage: result.usage }));
          await stream.writeSSE({ data: "[DONE]" });
        }
      }
    } finally {
      await events.return?.();
    }
  });
}
