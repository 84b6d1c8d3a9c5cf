import assert from "node:assert/strict";
import type { LlmDriver } from "../../../kernel/llm/driver.ts";
import { startFakeAnthropic } from "../../fakes/anthropic_server.ts";
import type { FakeServer } from "../../fakes/fake_http.ts";
import { startFakeOpenAi } from "../../fakes/openai_server.ts";
import { anthropicDriver, chatRequest, openAiDriver, thrown } from "./llm_helpers.ts";

/**
 * Starts a chat against a server that stalls after its text, aborts on the
 * first text chunk, and returns what was thrown and how long the abort took.
 */
async function abortMidStream(driver: LlmDriver): Promise<{ error: unknown; ms: number }> {
  const controller = new AbortController();
  let abortedAt = 0;
  const seen: string[] = [];
  const error = await thrown(async () => {
    for await (const chunk of driver.chat(chatRequest({ signal: controller.signal }))) {
      if (chunk.type === "text") {
        seen.push(chunk.text);
        if (!controller.signal.aborted) {
          abortedAt = performance.now();
          controller.abort();
        }
      }
    }
  });
  assert.ok(seen.length >= 1, "text arrived before the stream ended");
  return { error, ms: performance.now() - abortedAt };
}

async function check(server: FakeServer, driver: LlmDriver): Promise<void> {
  const { error, ms } = await abortMidStream(driver);
  assert.ok(error instanceof DOMException && error.name === "AbortError", String(error));
  assert.ok(ms < 1000, `abort took ${ms} ms`);
  await server.close();
}

Deno.test("openai driver stops a stalled stream within a second of an abort and rethrows the abort", async () => {
  const server = startFakeOpenAi([{ text: "streaming forever", stall: true }]);
  await check(server, openAiDriver(server));
});

Deno.test("anthropic driver stops a stalled stream within a second of an abort and rethrows the abort", async () => {
  const server = startFakeAnthropic([{ text: "streaming forever", stall: true }]);
  await check(server, anthropicDriver(server));
});

Deno.test("an abort before the response arrives rethrows the abort, not a provider error", async () => {
  await using server = startFakeOpenAi([{ text: "late", delayMs: 5_000 }]);
  const controller = new AbortController();
  const pending = thrown(async () => {
    for await (const _ of openAiDriver(server).chat(chatRequest({ signal: controller.signal }))) {
      // never reached before the abort
    }
  });
  setTimeout(() => controller.abort(), 20);
  const error = await pending;
  assert.ok(error instanceof DOMException && error.name === "AbortError", String(error));
});
