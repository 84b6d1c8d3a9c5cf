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
import { throwApiError } from "./api_fetch.ts";

export type { EventSourceMessage };

/** POSTs `body` as JSON asking for an event stream; throws `ApiCallError` (api_fetch.ts) unless 2xx. */
export async function postForEvents(
  url: string,
  body: unknown,
  options: { signal?: AbortSignal } = {},
): Promise<Response> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify(body),
    signal: options.signal,
  });
  if (!response.ok) await throwApiError(response);
  return response;
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
