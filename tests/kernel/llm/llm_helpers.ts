/**
 * Helpers for the driver tests: requests, chunk filters, and drivers pointed
 * at the fake servers with a key that no redaction pattern would catch (so
 * tests prove the key is scrubbed by the drivers themselves).
 *
 * @module
 */
import assert from "node:assert/strict";
import { createAnthropicDriver } from "../../../kernel/llm/anthropic.ts";
import type {
  ChatChunk,
  ChatRequest,
  LlmDriver,
  ToolDefinition,
} from "../../../kernel/llm/driver.ts";
import { createOpenAiDriver } from "../../../kernel/llm/openai.ts";
import type { ToolCall } from "../../../kernel/types.ts";
import type { FakeServer } from "../../fakes/fake_http.ts";

/** A key shaped unlike any redaction pattern. */
export const TEST_KEY = "local-secret-key-9f8e7d6c";

/** A tool offered in requests. */
export const WEATHER_TOOL: ToolDefinition = {
  name: "get_weather",
  description: "Current weather for a city",
  parameters: {
    type: "object",
    properties: { city: { type: "string" } },
    required: ["city"],
  },
};

/** A second tool, for parallel calls. */
export const TIME_TOOL: ToolDefinition = {
  name: "system_time",
  description: "The current time",
  parameters: { type: "object", properties: {} },
};

/** A one-message request for `model`. */
export function chatRequest(partial: Partial<ChatRequest> = {}): ChatRequest {
  return {
    model: "test-model",
    messages: [{ role: "user", text: "hello there" }],
    tools: [],
    maxTokens: 256,
    ...partial,
  };
}

/** An OpenAI driver for the fake at `server`, entry name "local", key env LOCAL_KEY. */
export function openAiDriver(server: FakeServer, apiKey: string = TEST_KEY): LlmDriver {
  return createOpenAiDriver(
    { name: "local", base_url: server.url, api_key_env: "LOCAL_KEY" },
    { apiKey, timeoutMs: 10_000 },
  );
}

/** An Anthropic driver for the fake at `server`, key env ANTHROPIC_API_KEY. */
export function anthropicDriver(server: FakeServer, apiKey: string = TEST_KEY): LlmDriver {
  return createAnthropicDriver(
    { name: "anthropic", base_url: server.url, api_key_env: "ANTHROPIC_API_KEY" },
    { apiKey, timeoutMs: 10_000 },
  );
}

/** The text chunks' texts. */
export function texts(chunks: ChatChunk[]): string[] {
  return chunks.flatMap((c) => (c.type === "text" ? [c.text] : []));
}

/** The tool calls. */
export function calls(chunks: ChatChunk[]): ToolCall[] {
  return chunks.flatMap((c) => (c.type === "tool_call" ? [c.call] : []));
}

/** The final `end` chunk (asserting it is last and unique). */
export function endOf(chunks: ChatChunk[]): Extract<ChatChunk, { type: "end" }> {
  const end = chunks.at(-1);
  assert.ok(end && end.type === "end", "the last chunk is end");
  assert.equal(chunks.filter((c) => c.type === "end").length, 1);
  return end;
}

/** Runs `fn` and returns what it threw (failing when it did not throw). */
export async function thrown(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  assert.fail("expected a rejection");
}
