/**
 * Reading server-sent events in the browser from a `fetch` response, for
 * streams `EventSource` cannot open (the message stream is a POST). Parsing
 * is eventsource-parser's; browser-safe, for islands.
 *
 * ```ts
 * const res = await postForEvents(`/api/agents/${id}/message/stream`, { message });
 * for await (const event of readEvents(res)) {
 *   if (event.event === "token") text.value += JSON.parse(event.data).text;
 * }
 * ```
 *
 * @module
 */
import { type EventSourceMessage, EventSourceParserStream } from "eventsource-parser/stream";
import { apiFetch } from "./api_fetch.ts";

export type { EventSourceMessage };

/** POSTs `body` as JSON asking for an event stream; throws `ApiCallError` (api_fetch.ts) unless 2xx. */
export async function postForEvents(
  url: string,
  body: unknown,
  options: { signal?: AbortSignal } = {},
): Promise<Response> {
  return await apiFetch("POST", url, {
    headers: { accept: "text/event-stream" },
    body: { json: body },
    signal: options.signal,
  });
}

/** The events of an SSE response body, in order, until the stream ends. */
export async function* readEvents(response: Response): AsyncGenerator<EventSourceMessage> {
  if (!response.body) return;
  const events = response.body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream());
  const reader = events.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Ends the fetch too when the caller stops early (break or throw).
    await reader.cancel().catch(() => {});
  }
}
