/**
 * Server-sent events from the kernel's event iterators, on hono's
 * `streamSSE`: each frame is redacted of the kernel's secrets, each event goes out with its log id (so a client's
 * `Last-Event-ID` resumes after it), `gap` events carry no id, a comment
 * line every `heartbeatMs` keeps proxies from closing an idle stream, and a
 * client that goes away closes the iterator (and its bus subscription).
 *
 * @module
 */
import { streamSSE } from "hono/streaming";
import { TalonError } from "../kernel/mod.ts";
import type { GapEvent, TalonEvent } from "../kernel/types.ts";
import type { RouteContext } from "./define.ts";

/** Options for {@link streamEvents}. */
export interface StreamEventsOptions {
  /** `payload` sends `event.data` (turn streams); `event` sends the whole event. */
  wire: "payload" | "event";
  /** Event types to send; others are skipped. All when absent. */
  types?: ReadonlySet<string>;
  /** Interval of keep-alive comments, ms. */
  heartbeatMs?: number;
  /** Events sent before the iterator's, e.g. a `gap` for pruned history. */
  preamble?: readonly GapEvent[];
}

/** Client reconnect delay sent with the first event, ms. */
const RETRY_MS = 2000;
const HEARTBEAT_MS = 15_000;

/** Streams `events` to the client until it ends or the client disconnects. */
export function streamEvents(
  c: RouteContext,
  events: AsyncIterableIterator<TalonEvent | GapEvent>,
  options: StreamEventsOptions,
): Response {
  return streamSSE(c, async (stream) => {
    stream.onAbort(() => void events.return?.());
    const heartbeat = setInterval(() => {
      if (!stream.closed && !stream.aborted) stream.write(": keep-alive\n\n").catch(() => {});
    }, options.heartbeatMs ?? HEARTBEAT_MS);
    let retry: number | undefined = RETRY_MS;
    const secrets = c.get("kernel").secrets;
    const send = async (event: TalonEvent | GapEvent) => {
      if (event.type === "gap") {
        await stream.writeSSE({
          event: "gap",
          data: JSON.stringify({ from_id: event.from_id, to_id: event.to_id }),
          retry,
        });
      } else {
        if (options.types && !options.types.has(event.type)) return;
        await stream.writeSSE({
          id: String(event.id),
          event: event.type,
          data: secrets.redact(JSON.stringify(options.wire === "payload" ? event.data : event)),
          retry,
        });
      }
      retry = undefined;
    };
    try {
      for (const gap of options.preamble ?? []) await send(gap);
      for await (const event of events) {
        if (stream.aborted) break;
        await send(event);
      }
    } catch (error) {
      const known = error instanceof TalonError;
      if (!known) {
        c.get("kernel").log.error("event stream failed", {
          request_id: c.get("requestId"),
          error: { name: (error as Error).name, message: (error as Error).message },
        });
      }
      if (!stream.aborted) {
        await stream.writeSSE({
          event: "error",
          data: JSON.stringify(
            known
              ? { code: error.code, message: error.message }
              : { code: "internal", message: `stream failed; see request ${c.get("requestId")}` },
          ),
        }).catch(() => {});
      }
    } finally {
      clearInterval(heartbeat);
      await events.return?.();
    }
  });
}

/** The `Last-Event-ID` header (or `after` query) as an event id; undefined when absent. */
export function lastEventIdOf(c: RouteContext, after?: number): number | undefined {
  const header = c.req.header("last-event-id");
  if (header === undefined || header.trim() === "") return after;
  const id = Number(header.trim());
  if (!Number.isSafeInteger(id) || id < 0) {
    throw new TalonError(
      "invalid_input",
      `Last-Event-ID "${
        header.slice(0, 40)
      }" is not an event id; send the id of the last event received`,
    );
  }
  return id;
}
