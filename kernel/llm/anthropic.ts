/**
 * The Anthropic driver, on the official `@anthropic-ai/sdk`: the streamed
 * Messages API with tool use. Anthropic has no embeddings API, so this driver
 * has no `embed`.
 *
 * @module
 */
import Anthropic from "@anthropic-ai/sdk";
import type { ToolCall, Usage } from "../types.ts";
import {
  type ChatChunk,
  type ChatRequest,
  type DriverEntry,
  type LlmDriver,
  NO_KEY,
  type PromptMessage,
  type SdkDriverOptions,
} from "./driver.ts";
import {
  type ProviderErrorContext,
  type SdkErrors,
  stripStatus,
  throwProviderError,
} from "./provider_errors.ts";
import { withPermittedEnv } from "./sdk_env.ts";
import { parseToolArguments } from "./tool_arguments.ts";

/** Anthropic's own endpoint, used when the entry has no `base_url`. */
export const ANTHROPIC_DEFAULT_BASE_URL = "https://api.anthropic.com";

/** The `@anthropic-ai/sdk` errors, for provider_errors.ts. */
const ANTHROPIC_ERRORS: SdkErrors = {
  isTimeout: (error) => error instanceof Anthropic.APIConnectionTimeoutError,
  isConnection: (error) => error instanceof Anthropic.APIConnectionError,
  apiError(error) {
    if (!(error instanceof Anthropic.APIError)) return undefined;
    return {
      status: typeof error.status === "number" ? error.status : null,
      headers: error.headers,
      message: error.apiMessage ?? stripStatus(error.message),
      type: error.type ?? undefined,
      code: error.errorCode ?? undefined,
    };
  },
};

/** Creates a driver for an `anthropic`-kind provider entry. */
export function createAnthropicDriver(
  entry: DriverEntry,
  options: SdkDriverOptions = {},
): LlmDriver {
  const baseUrl = entry.base_url ?? ANTHROPIC_DEFAULT_BASE_URL;
  const client = withPermittedEnv(() =>
    new Anthropic({
      apiKey: options.apiKey || NO_KEY,
      baseURL: baseUrl,
      maxRetries: 0,
      timeout: options.timeoutMs ?? 600_000,
      webhookKey: null,
      logLevel: "off",
      openTelemetry: false,
    })
  );
  return {
    kind: "anthropic",
    chat: (request) =>
      chat(client, request, {
        provider: entry.name,
        apiKeyEnv: entry.api_key_env,
        apiKey: options.apiKey,
        baseUrl,
        model: request.model,
        signal: request.signal,
        sdk: ANTHROPIC_ERRORS,
      }),
  };
}

/** A `tool_use` block being assembled from `input_json_delta`s. */
interface OpenBlock {
  id: string;
  name: string;
  json: string;
  input: unknown;
}

async function* chat(
  client: Anthropic,
  request: ChatRequest,
  context: ProviderErrorContext,
): AsyncGenerator<ChatChunk> {
  const { system, messages } = toAnthropicMessages(request.messages);
  const body: Anthropic.MessageCreateParamsStreaming = {
    model: request.model,
    max_tokens: request.maxTokens,
    messages,
    stream: true,
    ...(system ? { system } : {}),
    ...(request.tools.length > 0
      ? {
        tools: request.tools.map((t): Anthropic.Tool => ({
          name: t.name,
          description: t.description,
          input_schema: { type: "object", ...t.parameters } as Anthropic.Tool.InputSchema,
        })),
      }
      : {}),
  };
  const blocks = new Map<number, OpenBlock>();
  const usage: Usage = { input_tokens: 0, output_tokens: 0 };
  let model = request.model;
  let stop: string | null = null;
  let calls = 0;
  try {
    const stream = await client.messages.create(body, { signal: request.signal });
    for await (const event of stream) {
      switch (event.type) {
        case "message_start": {
          model = event.message.model || model;
          const u = event.message.usage;
          usage.input_tokens = (u.input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0) +
            (u.cache_read_input_tokens ?? 0);
          usage.output_tokens = u.output_tokens ?? 0;
          break;
        }
        case "content_block_start": {
          const block = event.content_block;
          if (block.type === "text" && block.text) yield { type: "text", text: block.text };
          if (block.type === "tool_use") {
            blocks.set(event.index, {
              id: block.id,
              name: block.name,
              json: "",
              input: block.input,
            });
          }
          break;
        }
        case "content_block_delta": {
          const delta = event.delta;
          if (delta.type === "text_delta" && delta.text) yield { type: "text", text: delta.text };
          if (delta.type === "input_json_delta") {
            const open = blocks.get(event.index);
            if (open) open.json += delta.partial_json;
          }
          break;
        }
        case "content_block_stop": {
          const open = blocks.get(event.index);
          if (!open) break;
          blocks.delete(event.index);
          calls++;
          yield { type: "tool_call", call: finishBlock(open) };
          break;
        }
        case "message_delta": {
          if (event.delta.stop_reason) stop = event.delta.stop_reason;
          const u = event.usage;
          if (typeof u.output_tokens === "number") usage.output_tokens = u.output_tokens;
          if (typeof u.input_tokens === "number") {
            usage.input_tokens = u.input_tokens + (u.cache_creation_input_tokens ?? 0) +
              (u.cache_read_input_tokens ?? 0);
          }
          break;
        }
      }
    }
  } catch (error) {
    throwProviderError(error, context);
  }
  // The SDK ends a stream quietly when its signal aborts; the caller must see the abort.
  request.signal?.throwIfAborted();
  for (const open of blocks.values()) {
    calls++;
    yield { type: "tool_call", call: finishBlock(open) };
  }
  yield {
    type: "end",
    usage,
    stopReason: stop === "max_tokens" || stop === "model_context_window_exceeded"
      ? "max_tokens"
      : stop === "tool_use" || calls > 0
      ? "tool_use"
      : "end_turn",
    model,
  };
}

function finishBlock(open: OpenBlock): ToolCall {
  const args = open.json.trim() === ""
    ? parseToolArguments(open.input)
    : parseToolArguments(open.json);
  return { id: open.id, name: open.name, args };
}

type Block = Anthropic.ContentBlockParam;

/**
 * Maps prompt messages to Anthropic's shape: system text becomes `system`,
 * tool results become `tool_result` blocks in user messages (first in their
 * message), consecutive same-role messages are merged, and empty text blocks
 * are dropped.
 */
export function toAnthropicMessages(
  messages: PromptMessage[],
): { system: string; messages: Anthropic.MessageParam[] } {
  const system: string[] = [];
  const out: { role: "user" | "assistant"; content: Block[] }[] = [];
  const add = (role: "user" | "assistant", blocks: Block[]) => {
    if (blocks.length === 0) return;
    const last = out.at(-1);
    if (last && last.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  for (const m of messages) {
    switch (m.role) {
      case "system":
        if (m.text.trim()) system.push(m.text);
        break;
      case "user":
        add("user", textBlocks(m.text));
        break;
      case "tool":
        add("user", [{
          type: "tool_result",
          tool_use_id: m.tool_call_id,
          ...(m.text === "" ? {} : { content: m.text }),
        }]);
        break;
      case "assistant":
        add("assistant", [
          ...textBlocks(m.text),
          ...(m.tool_calls ?? []).map((c): Block => ({
            type: "tool_use",
            id: c.id,
            name: c.name,
            input: c.args,
          })),
        ]);
        break;
    }
  }
  for (const message of out) {
    if (message.role !== "user") continue;
    const results = message.content.filter((b) => b.type === "tool_result");
    if (results.length === 0) continue;
    message.content = [...results, ...message.content.filter((b) => b.type !== "tool_result")];
  }
  return { system: system.join("\n\n"), messages: out };
}

function textBlocks(text: string): Block[] {
  return text.trim() === "" ? [] : [{ type: "text", text }];
}
