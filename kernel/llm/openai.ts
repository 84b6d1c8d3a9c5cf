/**
 * The OpenAI driver, on the official `openai` SDK: streamed chat completions
 * with tools, and embeddings. It serves OpenAI itself and every
 * OpenAI-compatible server (Ollama, vLLM, llama.cpp, Groq, OpenRouter) through
 * the entry's `base_url`, and tolerates what local models do differently:
 * arguments sent as objects, missing call ids or indexes, and tool calls
 * written into the text.
 *
 * @module
 */
import OpenAI from "openai";
import type { ToolCall, Usage } from "../types.ts";
import {
  type ChatChunk,
  type ChatRequest,
  type DriverEntry,
  type EmbedRequest,
  estimateTokens,
  type LlmDriver,
  NO_KEY,
  type PromptMessage,
  type SdkDriverOptions,
} from "./driver.ts";
import { InlineToolCallParser } from "./inline_tool_calls.ts";
import {
  type ProviderErrorContext,
  type SdkErrors,
  stripStatus,
  throwProviderError,
} from "./provider_errors.ts";
import { withPermittedEnv } from "./sdk_env.ts";
import { parseToolArguments } from "./tool_arguments.ts";

/** OpenAI's own endpoint, used when the entry has no `base_url`. */
export const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";

/** The `openai` SDK's errors, for provider_errors.ts. */
const OPENAI_ERRORS: SdkErrors = {
  isTimeout: (error) => error instanceof OpenAI.APIConnectionTimeoutError,
  isConnection: (error) => error instanceof OpenAI.APIConnectionError,
  apiError(error) {
    if (!(error instanceof OpenAI.APIError)) return undefined;
    const body = (error.error ?? {}) as Record<string, unknown>;
    return {
      status: typeof error.status === "number" ? error.status : null,
      headers: error.headers,
      message: typeof body.message === "string" ? body.message : stripStatus(error.message),
      type: typeof error.type === "string" ? error.type : undefined,
      code: typeof error.code === "string" ? error.code : undefined,
    };
  },
};

type Chunk = OpenAI.ChatCompletionChunk;
type DeltaToolCall = NonNullable<Chunk["choices"][number]["delta"]["tool_calls"]>[number];

/** Creates a driver for an `openai`-kind provider entry. */
export function createOpenAiDriver(entry: DriverEntry, options: SdkDriverOptions = {}): LlmDriver {
  const baseUrl = entry.base_url ?? OPENAI_DEFAULT_BASE_URL;
  const client = withPermittedEnv(() =>
    new OpenAI({
      apiKey: options.apiKey || NO_KEY,
      baseURL: baseUrl,
      maxRetries: 0,
      timeout: options.timeoutMs ?? 600_000,
      adminAPIKey: null,
      organization: null,
      project: null,
      webhookSecret: null,
      logLevel: "off",
    })
  );
  const context = (model: string, signal?: AbortSignal): ProviderErrorContext => ({
    provider: entry.name,
    apiKeyEnv: entry.api_key_env,
    apiKey: options.apiKey,
    baseUrl,
    model,
    signal,
    sdk: OPENAI_ERRORS,
  });
  const openAiCloud = new URL(baseUrl).hostname === "api.openai.com";
  return {
    kind: "openai",
    chat: (request) => chat(client, request, { context, openAiCloud }),
    embed: async (request: EmbedRequest): Promise<number[][]> => {
      try {
        const response = await client.embeddings.create(
          { model: request.model, input: request.input, encoding_format: "float" },
          { signal: request.signal },
        );
        const ordered = [...response.data].sort((a, b) => a.index - b.index);
        return ordered.map((d) => Array.from(d.embedding));
      } catch (error) {
        throwProviderError(error, context(request.model, request.signal));
      }
    },
  };
}

interface ChatSetup {
  context: (model: string, signal?: AbortSignal) => ProviderErrorContext;
  openAiCloud: boolean;
}

/** A tool call being assembled from stream deltas. */
interface PartialCall {
  id?: string;
  name: string;
  /** String pieces, or the object a quirky server sent whole. */
  args: string | Record<string, unknown>;
}

async function* chat(
  client: OpenAI,
  request: ChatRequest,
  setup: ChatSetup,
): AsyncGenerator<ChatChunk> {
  const context = setup.context(request.model, request.signal);
  const tools = request.tools.map((t) => ({
    type: "function" as const,
    function: { name: t.name, description: t.description, parameters: t.parameters },
  }));
  const body: OpenAI.ChatCompletionCreateParamsStreaming = {
    model: request.model,
    messages: toOpenAiMessages(request.messages),
    stream: true,
    stream_options: { include_usage: true },
    ...(tools.length > 0 ? { tools } : {}),
    ...(setup.openAiCloud
      ? { max_completion_tokens: request.maxTokens }
      : { max_tokens: request.maxTokens }),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
  };
  const inline = new InlineToolCallParser(request.tools.map((t) => t.name));
  const partials: PartialCall[] = [];
  const calls: ToolCall[] = [];
  const usedIds = new Set<string>();
  let text = "";
  let model = request.model;
  let usage: Usage | undefined;
  let finish: string | null = null;
  const nextId = (): string => {
    let n = usedIds.size;
    while (usedIds.has(`call_${n}`)) n++;
    return `call_${n}`;
  };
  const finishCall = (name: string, args: Record<string, unknown>, id?: string): ChatChunk => {
    const call = { id: id && !usedIds.has(id) ? id : nextId(), name, args };
    usedIds.add(call.id);
    calls.push(call);
    return { type: "tool_call", call };
  };

  try {
    const stream = await client.chat.completions.create(body, { signal: request.signal });
    for await (const chunk of stream) {
      if (chunk.model) model = chunk.model;
      if (chunk.usage) {
        usage = {
          input_tokens: chunk.usage.prompt_tokens ?? 0,
          output_tokens: chunk.usage.completion_tokens ?? 0,
        };
      }
      const choice = chunk.choices?.find((c) => (c.index ?? 0) === 0);
      if (!choice) continue;
      const delta = choice.delta ?? {};
      if (typeof delta.content === "string" && delta.content !== "") {
        text += delta.content;
        const released = inline.push(delta.content);
        if (released.text) yield { type: "text", text: released.text };
        for (const c of released.calls) yield finishCall(c.name, c.args);
      }
      for (const piece of delta.tool_calls ?? []) addDelta(partials, piece);
      if (choice.finish_reason) finish = choice.finish_reason;
    }
  } catch (error) {
    throwProviderError(error, context);
  }
  // The SDK ends a stream quietly when its signal aborts; the caller must see the abort.
  request.signal?.throwIfAborted();
  const rest = inline.finish();
  if (rest.text) yield { type: "text", text: rest.text };
  for (const c of rest.calls) yield finishCall(c.name, c.args);
  for (const p of partials) {
    if (p.name) yield finishCall(p.name, parseToolArguments(p.args), p.id);
  }
  yield {
    type: "end",
    usage: usage ?? {
      input_tokens: estimatePrompt(request),
      output_tokens: estimateTokens(text) +
        (calls.length > 0 ? estimateTokens(JSON.stringify(calls)) : 0),
    },
    stopReason: finish === "length"
      ? "max_tokens"
      : finish === "tool_calls" || calls.length > 0
      ? "tool_use"
      : "end_turn",
    model,
  };
}

/**
 * Adds one streamed tool-call delta. Servers that omit `index` (or reuse one
 * index for parallel calls) start a new call when a new id or name arrives.
 */
function addDelta(partials: PartialCall[], piece: DeltaToolCall): void {
  const fn = piece.function ?? {};
  const rawArgs = (fn as { arguments?: unknown }).arguments;
  const index = typeof piece.index === "number" ? piece.index : undefined;
  let target: PartialCall | undefined;
  if (piece.id) target = partials.find((p) => p.id === piece.id);
  if (!target && index !== undefined) {
    const atIndex = partials[index];
    const clash = atIndex && piece.id && atIndex.id && atIndex.id !== piece.id;
    if (atIndex && !clash) target = atIndex;
    else if (!atIndex && index >= partials.length) {
      while (partials.length < index) partials.push({ name: "", args: "" });
      target = { name: "", args: "" };
      partials.push(target);
    }
  }
  if (!target) {
    const last = partials.at(-1);
    const startsNew = !last || !!piece.id ||
      (!!fn.name && !!last.name && (fn.name !== last.name || argsComplete(last)));
    target = startsNew ? undefined : last;
  }
  if (!target) {
    target = { name: "", args: "" };
    partials.push(target);
  }
  if (piece.id && !target.id) target.id = piece.id;
  if (fn.name) target.name += target.name && fn.name === target.name ? "" : fn.name;
  if (rawArgs !== undefined && rawArgs !== null) {
    if (typeof rawArgs === "string") {
      target.args = typeof target.args === "string" ? target.args + rawArgs : rawArgs;
    } else {
      target.args = rawArgs as Record<string, unknown>;
    }
  }
}

function argsComplete(call: PartialCall): boolean {
  if (typeof call.args !== "string") return true;
  try {
    JSON.parse(call.args);
    return true;
  } catch {
    return false;
  }
}

/** Maps prompt messages to OpenAI chat messages. */
export function toOpenAiMessages(messages: PromptMessage[]): OpenAI.ChatCompletionMessageParam[] {
  return messages.map((m): OpenAI.ChatCompletionMessageParam => {
    switch (m.role) {
      case "system":
        return { role: "system", content: m.text };
      case "user":
        return { role: "user", content: m.text };
      case "tool":
        return { role: "tool", tool_call_id: m.tool_call_id, content: m.text };
      case "assistant":
        if (!m.tool_calls?.length) return { role: "assistant", content: m.text };
        return {
          role: "assistant",
          content: m.text === "" ? null : m.text,
          tool_calls: m.tool_calls.map((c) => ({
            id: c.id,
            type: "function" as const,
            function: { name: c.name, arguments: JSON.stringify(c.args) },
          })),
        };
    }
  });
}

/** Estimated prompt tokens, for servers that report no usage. */
export function estimatePrompt(request: ChatRequest): number {
  const messages = request.messages.reduce(
    (n, m) =>
      n + estimateTokens(m.text) +
      (m.role === "assistant" && m.tool_calls ? estimateTokens(JSON.stringify(m.tool_calls)) : 0),
    0,
  );
  return messages + (request.tools.length ? estimateTokens(JSON.stringify(request.tools)) : 0);
}
