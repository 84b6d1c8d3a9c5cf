/**
 * The interface every LLM driver implements: a streaming chat call that
 * yields text deltas and tool calls, then the usage of the call.
 *
 * @module
 */
import type { ProviderView, ToolCall, Usage } from "../types.ts";

/** The provider entry fields an SDK driver needs. */
export type DriverEntry = Pick<ProviderView, "name" | "base_url" | "api_key_env">;

/** Options for the OpenAI and Anthropic drivers. */
export interface SdkDriverOptions {
  /** The key read from `entry.api_key_env`; keyless local servers get {@link NO_KEY}. */
  apiKey?: string;
  /** Per-request timeout (config `llm.request_timeout_ms`). */
  timeoutMs?: number;
}

/** Sent as the key to servers that need none (an entry without `api_key_env`). */
export const NO_KEY = "no-key";

/** One message of a prompt. */
export type PromptMessage =
  | {
    role: "system";
    text: string;
    /** `memory`: the recalled-facts slot, which context fitting may drop. */
    slot?: "memory";
  }
  | { role: "user"; text: string }
  | { role: "assistant"; text: string; tool_calls?: ToolCall[] }
  | { role: "tool"; tool_call_id: string; text: string };

/** A tool the model may call. */
export interface ToolDefinition {
  name: string;
  description: string;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
}

/** One chat call. */
export interface ChatRequest {
  model: string;
  messages: PromptMessage[];
  tools: ToolDefinition[];
  maxTokens: number;
  temperature?: number;
  signal?: AbortSignal;
}

/** What a driver streams back. */
export type ChatChunk =
  | { type: "text"; text: string }
  | { type: "tool_call"; call: ToolCall }
  | {
    type: "end";
    usage: Usage;
    stopReason: "end_turn" | "tool_use" | "max_tokens";
    /** The model that answered (a fallback model, or the provider's resolved id). */
    model?: string;
  };

/** One embeddings call. */
export interface EmbedRequest {
  model: string;
  input: string[];
  signal?: AbortSignal;
}

/** An LLM driver for one provider entry. */
export interface LlmDriver {
  /** Provider kind, e.g. `"offline"`. */
  readonly kind: string;
  /** Streams one chat call; the last chunk is always `end`. */
  chat(request: ChatRequest): AsyncIterable<ChatChunk>;
  /** One vector per input, in order; drivers without embeddings omit it. */
  embed?(request: EmbedRequest): Promise<number[][]>;
}

/**
 * The user message the agent loop sends when a reply was cut off by
 * `max_tokens`, asking the model to go on where it stopped.
 */
export const CONTINUE_PROMPT =
  "Your previous reply was cut off by the output limit. Continue exactly where it stopped, without repeating anything.";

/**
 * The system prompt of a compaction call: the user message that follows is
 * {@link COMPACT_PREVIOUS} (when an earlier summary exists) and
 * {@link COMPACT_TRANSCRIPT} sections, one `[role] text` line per message.
 * The offline driver answers such a call with an extractive summary.
 */
export const COMPACT_PROMPT =
  "You compact a long conversation. Summarise the earlier summary (if any) and the transcript below into one concise summary that a model can continue the conversation from: keep facts, names, numbers, decisions, the user's goals and preferences, tool results that matter, and open tasks. Write plain sentences or bullet points, no preamble.";

/** Heading of the earlier summary in a compaction call's user message. */
export const COMPACT_PREVIOUS = "Earlier summary:";

/** Heading of the transcript in a compaction call's user message. */
export const COMPACT_TRANSCRIPT = "Transcript to summarise:";

/** A rough token count (~4 characters a token) for drivers without a tokenizer. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
