/**
 * The OpenAI-compatible surface, as pure mappings: a chat request's messages
 * into an ephemeral conversation for an agent, and a turn's result and
 * token deltas into OpenAI's completion objects and stream chunks.
 *
 * @module
 */
import type { EphemeralInput } from "../agent/mod.ts";
import { TalonError, type TalonErrorCode } from "../errors.ts";
import type {
  AgentView,
  ChatCompletion,
  ChatCompletionBody,
  ChatCompletionChunk,
  ChatMessageIn,
  OpenAIModelList,
  SessionMessage,
  TurnResult,
  Usage,
} from "../types.ts";

/** What every object of one completion shares. */
export interface CompletionMeta {
  /** `chatcmpl-<turn id>`. */
  id: string;
  /** Unix seconds. */
  created: number;
  /** The agent's name, as the client's `model`. */
  model: string;
}

/** The ephemeral conversation a chat request describes. */
export function conversationOf(body: ChatCompletionBody): EphemeralInput {
  const system: string[] = [];
  const messages: SessionMessage[] = [];
  const created_at = new Date().toISOString();
  for (const [i, message] of body.messages.entries()) {
    const text = textOf(message, i);
    const base = { id: messages.length + 1, turn_id: null, created_at };
    switch (message.role) {
      case "system":
      case "developer":
        system.push(text);
        break;
      case "user":
        messages.push({ ...base, role: "user", text });
        break;
      case "tool":
        messages.push({ ...base, role: "tool", text, tool_call_id: message.tool_call_id });
        break;
      case "assistant": {
        const calls = (message.tool_calls ?? []).map((call, j) => ({
          id: call.id,
          name: call.function.name,
          args: argumentsOf(call.function.arguments, `messages.${i}.tool_calls.${j}`),
        }));
        messages.push({
          ...base,
          role: "assistant",
          text,
          ...(calls.length ? { tool_calls: calls } : {}),
        });
      }
    }
  }
  if (messages.at(-1)?.role !== "user") {
    throw new TalonError(
      "invalid_input",
      "invalid body: messages: the conversation must end with a user message",
    );
  }
  const maxTokens = body.max_completion_tokens ?? body.max_tokens ?? undefined;
  return {
    system,
    messages,
    ...(body.temperature != null ? { temperature: body.temperature } : {}),
    ...(maxTokens !== undefined ? { maxTokens } : {}),
  };
}

function textOf(message: ChatMessageIn, index: number): string {
  const content = message.content;
  if (content === undefined || content === null) return "";
  if (typeof content === "string") return content;
  return content.map((part, j) => {
    if (part.type !== "text" || typeof part.text !== "string") {
      throw new TalonError(
        "invalid_input",
        `invalid body: messages.${index}.content.${j}: only text parts are supported, not "${part.type}"`,
      );
    }
    return part.text;
  }).join("");
}

function argumentsOf(json: string, path: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = json.trim() === "" ? {} : JSON.parse(json);
  } catch (cause) {
    throw new TalonError(
      "invalid_input",
      `invalid body: ${path}.function.arguments: not valid JSON`,
      { cause },
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TalonError(
      "invalid_input",
      `invalid body: ${path}.function.arguments: must be a JSON object`,
    );
  }
  return value as Record<string, unknown>;
}

/** OpenAI's usage object from a turn's usage. */
function usageOf(usage: Usage): ChatCompletion["usage"] {
  return {
    prompt_tokens: usage.input_tokens,
    completion_tokens: usage.output_tokens,
    total_tokens: usage.input_tokens + usage.output_tokens,
  };
}

/**
 * Throws the turn's error unless it completed: a failed turn keeps its code
 * (so a budget refusal is a 402, a provider outage a 502), an interrupted
 * one is `interrupted`.
 */
export function assertCompleted(result: TurnResult): void {
  if (result.status === "completed") return;
  const error = result.error ?? {
    code: "interrupted",
    message: `the agent's turn ended ${result.status} before it answered`,
  };
  throw new TalonError(error.code as TalonErrorCode, error.message);
}

/**
 * A non-streamed completion from a completed turn; `text` is everything the
 * agent said in it (see `EphemeralTurn.text`), as the stream would show it.
 */
export function completionOf(
  meta: CompletionMeta,
  turn: { result: TurnResult; text: string },
): ChatCompletion {
  return {
    ...meta,
    object: "chat.completion",
    choices: [{
      index: 0,
      message: { role: "assistant", content: turn.text },
      finish_reason: "stop",
    }],
    usage: usageOf(turn.result.usage),
  };
}

/** One stream chunk: a delta, or the final chunk with `finish_reason`, or usage alone. */
export function chunkOf(
  meta: CompletionMeta,
  part: { role?: "assistant"; content?: string; finish?: "stop"; usage?: Usage },
): ChatCompletionChunk {
  if (part.usage) {
    return { ...meta, object: "chat.completion.chunk", choices: [], usage: usageOf(part.usage) };
  }
  const delta: ChatCompletionChunk["choices"][number]["delta"] = {};
  if (part.role) delta.role = part.role;
  if (part.content !== undefined) delta.content = part.content;
  return {
    ...meta,
    object: "chat.completion.chunk",
    choices: [{ index: 0, delta, finish_reason: part.finish ?? null }],
  };
}

/** The agents a caller may chat with, as OpenAI models. */
export function modelListOf(agents: readonly AgentView[]): OpenAIModelList {
  return {
    object: "list",
    data: agents.map((agent) => ({
      id: agent.name,
      object: "model",
      created: Math.floor(Date.parse(agent.created_at) / 1000),
      owned_by: "talon",
    })),
  };
}
