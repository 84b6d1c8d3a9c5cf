/**
 * A real loopback web server for the web tool tests: listens on 127.0.0.1
 * (or another loopback address), counts hits, and ends stalled handlers on
 * close so tests pass the op and resource sanitizers.
 *
 * @module
 */

/** A running web server. */
export interface WebServer {
  /** `http://<host>:<port>` */
  origin: string;
  port: number;
  /** Paths requested, in order. */
  hits: string[];
  /** Requests as received (method, path, headers, body text). */
  requests: { method: string; path: string; headers: Headers; body: string }[];
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts a server; `handler` gets the request and a signal that aborts on close. */
export function serveWeb(
  handler: (req: Request, closed: AbortSignal) => Response | Promise<Response>,
  hostname = "127.0.0.1",
): WebServer {
  const closing = new AbortController();
  const hits: string[] = [];
  const requests: WebServer["requests"] = [];
  const server = Deno.serve({ hostname, port: 0, onListen: () => {} }, async (req) => {
    const url = new URL(req.url);
    hits.push(url.pathname + url.search);
    requests.push({
      method: req.method,
      path: url.pathname + url.search,
      headers: req.headers,
      body: await req.text(),
    });
    return handler(req, closing.signal);
  });
  const close = async () => {
    closing.abort();
    await server.shutdown();
  };
  return {
    origin: `http://${hostname}:${server.addr.port}`,
    port: server.addr.port,
    hits,
    requests,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Resolves when `signal` aborts (a handler that never answers on its own). */
export function untilClosed(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) =>
    signal.addEventListener("abort", () => resolve(), { once: true })
  );
}
