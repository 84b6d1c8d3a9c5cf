/**
 * The request body limit: Hono's `bodyLimit`, answering 413
 * `payload_too_large`. A body without a Content-Length (chunked) is read up
 * to the limit; Hono then stops reading but leaves the request's body open,
 * which would hold its resource until the process ends. Such a body is
 * relayed through a pipe that is aborted once the request is answered, so
 * its source is cancelled whatever the outcome.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "./define.ts";
import { errorBody } from "./errors.ts";

/** Refuses bodies over `maxBytes` with 413, cancelling a streamed body it stops reading. */
export function limitBody(maxBytes: number): MiddlewareHandler<AppEnv> {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: (c) =>
      c.json(
        errorBody("payload_too_large", `request body is larger than ${maxBytes} bytes`),
        413,
      ),
  });
  return async (c, next) => {
    const raw = c.req.raw;
    const sized = raw.headers.has("content-length") && !raw.headers.has("transfer-encoding");
    if (!raw.body || sized) return await limit(c, next);
    const done = new AbortController();
    const relay = new TransformStream<Uint8Array, Uint8Array>();
    raw.body.pipeTo(relay.writable, { signal: done.signal }).catch(() => {});
    c.req.raw = new Request(raw, { body: relay.readable, duplex: "half" } as RequestInit);
    try {
      return await limit(c, next);
    } finally {
      done.abort();
    }
  };
}
