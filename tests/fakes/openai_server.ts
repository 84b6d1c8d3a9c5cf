/**
 * A fake OpenAI-compatible server for tests: `POST /v1/chat/completions`
 * answers with the next scripted response as a real `chat.completion.chunk`
 * SSE stream (ending in `data: [DONE]`) or a real error body; `POST
 * /v1/embeddings` answers with a real embeddings list. Local-model quirks can
 * be switched on per response.
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

/** A tool call the fake model makes. */
export interface FakeOpenAiToolCall {
  id?: string;
  name: string;
  /** Sent as a JSON string in two pieces, or as written when a string. */
  arguments: string | Record<string, unknown>;
}

/** A streamed reply. */
export interface FakeOpenAiReply {
  /** Text deltas; a string is split into words. */
  text?: string | string[];
  toolCalls?: FakeOpenAiToolCall[];
  /** Usage sent when the client asked for it; `null` sends none. Default: counted words. */
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
  /** Default `tool_calls` when there are calls, else `stop`. */
  finishReason?: string;
  /** Model id reported in every chunk; default: the requested model. */
  model?: string;
  /** Local-model quirks. */
  quirks?: {
    /** `arguments` as a JSON object in one delta instead of string pieces. */
    argumentsAsObject?: boolean;
    /** No `id` on tool calls. */
    noIds?: boolean;
    /** No `index` on tool-call deltas. */
    noIndex?: boolean;
  };
  /** Pause before each chunk. */
  delayMs?: number;
  /** After the text, keep the stream open until the client leaves. */
  stall?: boolean;
}

/** An HTTP error with OpenAI's real body `{"error":{"message","type","code"}}`. */
export interface FakeOpenAiError {
  status: number;
  error: { message: string; type?: string; code?: string | null; param?: string | null };
  /** e.g. `{ "retry-after-ms": "50" }`. */
  headers?: Record<string, string>;
}

/** Raw chunk payloads, each sent as one `data:` line, then `[DONE]`. */
export interface FakeOpenAiRaw {
  chunks: unknown[];
}

/** One scripted answer. */
export type FakeOpenAiResponse = FakeOpenAiReply | FakeOpenAiError | FakeOpenAiRaw;

/** Options for {@link startFakeOpenAi}. */
export interface FakeOpenAiOptions {
  /** Return embeddings in reverse order (clients must sort by `index`). */
  reverseEmbeddings?: boolean;
}

/** Starts the fake; its `url` ends in `/v1` like OpenAI's base URL. */
export function startFakeOpenAi(
  responses: FakeOpenAiResponse[],
  options: FakeOpenAiOptions = {},
): FakeServer {
  const script = [...responses];
  let served = 0;
  return serveFake(({ request, closed }) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (request.method === "POST" && request.path === "/v1/embeddings") {
      return embeddings(body, options);
    }
    if (request.method !== "POST" || request.path !== "/v1/chat/completions") {
      return jsonResponse(404, {
        error: {
          message: `Unknown path ${request.path}`,
          type: "invalid_request_error",
          code: null,
        },
      });
    }
    const next = script.shift();
    const n = ++served;
    if (!next) {
      return jsonResponse(500, {
        error: {
          message: `fake server: no scripted response left for request ${n}`,
          type: "server_error",
          code: null,
        },
      });
    }
    if ("status" in next) {
      return jsonResponse(next.status, {
        error: { type: "invalid_request_error", code: null, param: null, ...next.error },
      }, next.headers);
    }
    const model = String(body.model ?? "unknown");
    const wantsUsage = (body.stream_options as { include_usage?: boolean } | undefined)
      ?.include_usage === true;
    const payloads = "chunks" in next ? next.chunks : replyChunks(next, model, wantsUsage, n);
    const reply = "chunks" in next ? undefined : next;
    return sseResponse(async function* (signal) {
      for (const payload of payloads) {
        if (reply?.delayMs) await pause(reply.delayMs, signal);
        if (signal.aborted) return;
        yield `data: ${JSON.stringify(payload)}\n\n`;
        if (reply?.stall && isLastText(payload)) await stall(signal);
      }
      yield "data: [DONE]\n\n";
    }, closed);
  }, "/v1");
}

const STALL_MARK = Symbol("stall");

function isLastText(payload: unknown): boolean {
  return typeof payload === "object" && payload !== null && STALL_MARK in payload;
}

function replyChunks(
  reply: FakeOpenAiReply,
  requested: string,
  wantsUsage: boolean,
  n: number,
): unknown[] {
  const model = reply.model ?? requested;
  const id = `chatcmpl-fake${n}`;
  const created = 1_700_000_000 + n;
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    id,
    object: "chat.completion.chunk",
    created,
    model,
    system_fingerprint: "fp_fake",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  const out: Record<string | symbol, unknown>[] = [chunk({ role: "assistant", content: "" })];
  const texts = pieces(reply.text ?? "");
  for (const text of texts) out.push(chunk({ content: text }));
  if (reply.stall) out.at(-1)![STALL_MARK] = true;
  const q = reply.quirks ?? {};
  for (const [i, call] of (reply.toolCalls ?? []).entries()) {
    const where = q.noIndex ? {} : { index: i };
    const head = {
      ...where,
      ...(q.noIds ? {} : { id: call.id ?? `call_fake${n}_${i}` }),
      type: "function",
    };
    if (q.argumentsAsObject) {
      out.push(
        chunk({
          tool_calls: [{ ...head, function: { name: call.name, arguments: call.arguments } }],
        }),
      );
      continue;
    }
    const args = typeof call.arguments === "string"
      ? call.arguments
      : JSON.stringify(call.arguments);
    const cut = Math.ceil(args.length / 2);
    out.push(chunk({ tool_calls: [{ ...head, function: { name: call.name, arguments: "" } }] }));
    for (const part of [args.slice(0, cut), args.slice(cut)]) {
      if (part) out.push(chunk({ tool_calls: [{ ...where, function: { arguments: part } }] }));
    }
  }
  const finish = reply.finishReason ?? (reply.toolCalls?.length ? "tool_calls" : "stop");
  out.push(chunk({}, finish));
  if (wantsUsage && reply.usage !== null) {
    const usage = reply.usage ?? {
      prompt_tokens: 10,
      completion_tokens: texts.length + (reply.toolCalls?.length ?? 0),
    };
    out.push({
      id,
      object: "chat.completion.chunk",
      created,
      model,
      system_fingerprint: "fp_fake",
      choices: [],
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
    });
  }
  return out;
}

/** The fake's deterministic vector for `text` at `index`: [length, words, index]. */
export function fakeEmbedding(text: string, index: number): number[] {
  return [text.length, text.split(/\s+/).filter(Boolean).length, index];
}

function embeddings(body: Record<string, unknown>, options: FakeOpenAiOptions): Response {
  const input = typeof body.input === "string" ? [body.input] : (body.input as string[] ?? []);
  const data = input.map((text, index) => {
    const vector = fakeEmbedding(String(text), index);
    const embedding = body.encoding_format === "base64"
      ? btoa(String.fromCharCode(...new Uint8Array(new Float32Array(vector).buffer)))
      : vector;
    return { object: "embedding", index, embedding };
  });
  if (options.reverseEmbeddings) data.reverse();
  const tokens = input.reduce((n, t) => n + String(t).split(/\s+/).length, 0);
  return jsonResponse(200, {
    object: "list",
    data,
    model: String(body.model ?? "unknown"),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}
