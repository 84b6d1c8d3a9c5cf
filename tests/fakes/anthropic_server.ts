/**
 * A fake Anthropic Messages API for tests: `POST /v1/messages` answers with the
 * next scripted response as a real `event:`/`data:` stream (message_start,
 * content blocks with text_delta / input_json_delta, message_delta,
 * message_stop, with a ping) or a real error body
 * `{"type":"error","error":{"type","message"}}`.
 *
 * @module
 */
import {
  type FakeServer,
  jsonResponse,
  pause,
  pieces,
  serveFake,
  sseResponse,
  stall,
} from "./fake_http.ts";

export { closedPort, type FakeServer, type RecordedRequest } from "./fake_http.ts";

/** A tool call the fake model makes (its input streams as two JSON pieces). */
export interface FakeAnthropicToolCall {
  id?: string;
  name: string;
  input: Record<string, unknown>;
}

/** A streamed reply. */
export interface FakeAnthropicReply {
  /** Text deltas; a string is split into words. */
  text?: string | string[];
  toolCalls?: FakeAnthropicToolCall[];
  /** Default: 10 input tokens, one output token per piece. */
  usage?: { input_tokens: number; output_tokens: number };
  /** Default `tool_use` when there are calls, else `end_turn`. */
  stopReason?: string;
  /** Model id reported in message_start; default: the requested model. */
  model?: string;
  /** Pause before each event. */
  delayMs?: number;
  /** After the text, keep the stream open until the client leaves. */
  stall?: boolean;
  /** Send an `event: error` after the text instead of finishing. */
  streamError?: { type: string; message: string };
}

/** An HTTP error with Anthropic's real body. */
export interface FakeAnthropicError {
  status: number;
  error: { type: string; message: string };
  headers?: Record<string, string>;
}

/** One scripted answer. */
export type FakeAnthropicResponse = FakeAnthropicReply | FakeAnthropicError;

/** Starts the fake; its `url` is the origin, like Anthropic's base URL. */
export function startFakeAnthropic(responses: FakeAnthropicResponse[]): FakeServer {
  const script = [...responses];
  let served = 0;
  return serveFake(({ request, closed }) => {
    if (request.method !== "POST" || request.path !== "/v1/messages") {
      return errorResponse(404, {
        type: "not_found_error",
        message: `Unknown path ${request.path}`,
      });
    }
    const next = script.shift();
    const n = ++served;
    if (!next) {
      return errorResponse(500, {
        type: "api_error",
        message: `fake server: no scripted response left for request ${n}`,
      });
    }
    if ("status" in next) return errorResponse(next.status, next.error, next.headers);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const events = replyEvents(next, String(body.model ?? "unknown"), n);
    return sseResponse(
      async function* (signal) {
        for (const [name, data] of events) {
          if (next.delayMs) await pause(next.delayMs, signal);
          if (signal.aborted) return;
          if (name === "stall") {
            await stall(signal);
            continue;
          }
          yield `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
        }
      },
      closed,
      { "request-id": `req_fake${n}` },
    );
  });
}

function errorResponse(
  status: number,
  error: { type: string; message: string },
  headers: Record<string, string> = {},
): Response {
  return jsonResponse(status, { type: "error", error }, { "request-id": "req_fake", ...headers });
}

function replyEvents(reply: FakeAnthropicReply, requested: string, n: number): [string, unknown][] {
  const texts = pieces(reply.text ?? "");
  const calls = reply.toolCalls ?? [];
  const usage = reply.usage ?? { input_tokens: 10, output_tokens: texts.length + calls.length };
  const out: [string, unknown][] = [[
    "message_start",
    {
      type: "message_start",
      message: {
        id: `msg_fake${n}`,
        type: "message",
        role: "assistant",
        model: reply.model ?? requested,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: usage.input_tokens,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          output_tokens: 1,
        },
      },
    },
  ]];
  let index = 0;
  if (texts.length > 0) {
    out.push(["content_block_start", {
      type: "content_block_start",
      index,
      content_block: { type: "text", text: "" },
    }]);
    out.push(["ping", { type: "ping" }]);
    for (const text of texts) {
      out.push(["content_block_delta", {
        type: "content_block_delta",
        index,
        delta: { type: "text_delta", text },
      }]);
    }
    if (reply.stall) out.push(["stall", null]);
    out.push(["content_block_stop", { type: "content_block_stop", index }]);
    index++;
  }
  if (reply.streamError) {
    out.push(["error", { type: "error", error: reply.streamError }]);
    return out;
  }
  for (const [i, call] of calls.entries()) {
    const json = JSON.stringify(call.input);
    const cut = Math.ceil(json.length / 2);
    out.push(["content_block_start", {
      type: "content_block_start",
      index,
      content_block: {
        type: "tool_use",
        id: call.id ?? `toolu_fake${n}_${i}`,
        name: call.name,
        input: {},
      },
    }]);
    for (const part of ["", json.slice(0, cut), json.slice(cut)]) {
      out.push(["content_block_delta", {
        type: "content_block_delta",
        index,
        delta: { type: "input_json_delta", partial_json: part },
      }]);
    }
    out.push(["content_block_stop", { type: "content_block_stop", index }]);
    index++;
  }
  out.push(["message_delta", {
    type: "message_delta",
    delta: {
      stop_reason: reply.stopReason ?? (calls.length ? "tool_use" : "end_turn"),
      stop_sequence: null,
    },
    usage: { output_tokens: usage.output_tokens },
  }]);
  out.push(["message_stop", { type: "message_stop" }]);
  return out;
}
