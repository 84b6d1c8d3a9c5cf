/**
 * Plumbing shared by the fake provider servers: a real `Deno.serve` on
 * 127.0.0.1 (port 0) that records every request, SSE responses that can pause
 * or stall until the client leaves, and a `close()` that ends everything so
 * tests pass the op and resource sanitizers.
 *
 * @module
 */

/** One request as the fake server saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON body (undefined when there is none or it is not JSON). */
  body: unknown;
}

/** A running fake server. */
export interface FakeServer {
  /** Base URL to give the SDK (`baseURL`). */
  url: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Stops the server and any stalled stream. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Context handed to a fake's route handler. */
export interface FakeContext {
  request: RecordedRequest;
  /** Aborts when the server closes. */
  closed: AbortSignal;
}

/** Starts a fake server; `basePath` is appended to the origin in `url`. */
export function serveFake(
  handler: (ctx: FakeContext) => Response | Promise<Response>,
  basePath = "",
): FakeServer {
  const requests: RecordedRequest[] = [];
  const closing = new AbortController();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const text = await req.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    const recorded: RecordedRequest = {
      method: req.method,
      path: new URL(req.url).pathname,
      headers: Object.fromEntries(req.headers),
      body,
    };
    requests.push(recorded);
    return await handler({ request: recorded, closed: closing.signal });
  });
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      closing.abort();
      await server.shutdown();
    })();
    return closed;
  };
  return {
    url: `http://127.0.0.1:${server.addr.port}${basePath}`,
    requests,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** A JSON response. */
export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/**
 * A `text/event-stream` response fed by `events` (already framed SSE text).
 * The generator gets a signal that aborts when the client goes away or the
 * server closes; use {@link pause} and {@link stall} with it.
 */
export function sseResponse(
  events: (signal: AbortSignal) => AsyncGenerator<string>,
  closed: AbortSignal,
  headers: Record<string, string> = {},
): Response {
  const gone = new AbortController();
  const onClose = () => gone.abort();
  closed.addEventListener("abort", onClose, { once: true });
  const iterator = events(gone.signal);
  const encoder = new TextEncoder();
  const finish = () => closed.removeEventListener("abort", onClose);
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await iterator.next();
        if (next.done || gone.signal.aborted) {
          finish();
          controller.close();
        } else {
          controller.enqueue(encoder.encode(next.value));
        }
      } catch (error) {
        finish();
        if (gone.signal.aborted) controller.close();
        else controller.error(error);
      }
    },
    async cancel() {
      gone.abort();
      finish();
      await iterator.return(undefined);
    },
  });
  return new Response(body, {
    status: 200,
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache", ...headers },
  });
}

/** Waits `ms` (resolves early, quietly, when `signal` aborts). */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Waits until `signal` aborts: a stream that never finishes on its own. */
export function stall(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

/** Splits text into word-sized stream pieces (spaces kept). */
export function pieces(text: string | string[]): string[] {
  return typeof text === "string" ? text.match(/\s*\S+\s*/g) ?? (text ? [text] : []) : text;
}

/** A port on 127.0.0.1 with nothing listening (for connection-refused tests). */
export function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}
