import assert from "node:assert/strict";
import { TalonError } from "../../../kernel/errors.ts";
import {
  chatWithFallback,
  type ChatWithFallbackOptions,
  retryDelayMs,
  type RetryInfo,
} from "../../../kernel/llm/retry.ts";
import { startFakeAnthropic } from "../../fakes/anthropic_server.ts";
import {
  type FakeOpenAiError,
  type FakeOpenAiResponse,
  startFakeOpenAi,
} from "../../fakes/openai_server.ts";
import { collect, settle, talonError } from "../fixtures.ts";
import { anthropicDriver, chatRequest, endOf, openAiDriver, texts, thrown } from "./llm_helpers.ts";

const POLICY = { maxAttempts: 3, baseMs: 100, maxMs: 1_000 };

const rateLimited = (headers?: Record<string, string>): FakeOpenAiResponse => ({
  status: 429,
  error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" },
  headers,
});
const down: FakeOpenAiError = {
  status: 503,
  error: { message: "Service unavailable", type: "server_error" },
};

/** Options that never wait: delays are recorded instead. */
function noWait(extra: Partial<ChatWithFallbackOptions> = {}) {
  const slept: number[] = [];
  const retries: RetryInfo[] = [];
  const options: ChatWithFallbackOptions = {
    policy: POLICY,
    sleep: (ms) => {
      slept.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    onRetry: (info) => retries.push(info),
    ...extra,
  };
  return { options, slept, retries };
}

function models(server: { requests: { body: unknown }[] }): string[] {
  return server.requests.map((r) => (r.body as { model: string }).model);
}

Deno.test("chatWithFallback retries a 429 after its Retry-After, capped at maxMs", async () => {
  await using server = startFakeOpenAi([
    rateLimited({ "retry-after-ms": "250" }),
    rateLimited({ "retry-after": "30" }),
    { text: "finally" },
  ]);
  const { options, slept, retries } = noWait();
  const chunks = await collect(chatWithFallback(openAiDriver(server), chatRequest(), options));
  assert.equal(texts(chunks).join(""), "finally");
  assert.deepEqual(slept, [250, 1_000]);
  assert.deepEqual(retries.map((r) => [r.model, r.attempt, r.error.code]), [
    ["test-model", 1, "rate_limited"],
    ["test-model", 2, "rate_limited"],
  ]);
  assert.equal(endOf(chunks).model, "test-model");
});

Deno.test("chatWithFallback honours Retry-After on a 503 too", async () => {
  await using server = startFakeOpenAi([
    { ...down, headers: { "retry-after": "0.3" } },
    { text: "back" },
  ]);
  const { options, slept } = noWait();
  await collect(chatWithFallback(openAiDriver(server), chatRequest(), options));
  assert.deepEqual(slept, [300]);
});

Deno.test("chatWithFallback backs off exponentially with 50-100 % jitter on provider_down", async () => {
  await using server = startFakeOpenAi([down, down, { text: "ok" }]);
  const { options, slept } = noWait({ random: () => 0.5 });
  await collect(chatWithFallback(openAiDriver(server), chatRequest(), options));
  assert.deepEqual(slept, [75, 150]);
  const error = new TalonError("provider_down", "x");
  assert.equal(retryDelayMs(error, 1, POLICY, () => 0), 50);
  assert.equal(retryDelayMs(error, 1, POLICY, () => 0.999999), 100);
  assert.equal(retryDelayMs(error, 10, POLICY, () => 0.999999), 1_000);
});

Deno.test("chatWithFallback moves to the fallback model when attempts run out and reports which model answered", async () => {
  await using server = startFakeOpenAi([
    rateLimited(),
    rateLimited(),
    rateLimited(),
    { text: "from the fallback" },
  ]);
  const { options, slept } = noWait({ fallbackModels: ["backup-model"] });
  const chunks = await collect(chatWithFallback(openAiDriver(server), chatRequest(), options));
  assert.equal(texts(chunks).join(""), "from the fallback");
  assert.equal(endOf(chunks).model, "backup-model");
  assert.deepEqual(models(server), ["test-model", "test-model", "test-model", "backup-model"]);
  assert.equal(slept.length, 2, "no sleep before switching models");
});

Deno.test("chatWithFallback skips a model the provider does not know (404) without retrying", async () => {
  await using server = startFakeOpenAi([
    {
      status: 404,
      error: { message: "model not found", type: "invalid_request_error", code: "model_not_found" },
    },
    { text: "hi" },
  ]);
  const { options, slept } = noWait({ fallbackModels: ["other"] });
  const chunks = await collect(chatWithFallback(openAiDriver(server), chatRequest(), options));
  assert.equal(endOf(chunks).model, "other");
  assert.deepEqual(slept, []);
});

Deno.test("chatWithFallback throws auth and context errors at once, without retry or fallback", async () => {
  await using server = startFakeOpenAi([
    {
      status: 401,
      error: {
        message: "Incorrect API key",
        type: "invalid_request_error",
        code: "invalid_api_key",
      },
    },
    {
      status: 400,
      error: {
        message: "maximum context length exceeded",
        type: "invalid_request_error",
        code: "context_length_exceeded",
      },
    },
  ]);
  const driver = openAiDriver(server);
  const { options, slept } = noWait({ fallbackModels: ["other"] });
  talonError("provider_auth")(
    await thrown(() => collect(chatWithFallback(driver, chatRequest(), options))),
  );
  talonError("context_too_long")(
    await thrown(() => collect(chatWithFallback(driver, chatRequest(), options))),
  );
  assert.equal(server.requests.length, 2);
  assert.deepEqual(slept, []);
});

Deno.test("chatWithFallback never retries once output has streamed", async () => {
  await using server = startFakeAnthropic([
    { text: "half an answer", streamError: { type: "overloaded_error", message: "Overloaded" } },
    { text: "must not be requested" },
  ]);
  const { options } = noWait({ fallbackModels: ["other"] });
  const seen: string[] = [];
  const error = await thrown(async () => {
    for await (const chunk of chatWithFallback(anthropicDriver(server), chatRequest(), options)) {
      if (chunk.type === "text") seen.push(chunk.text);
    }
  });
  talonError("provider_down")(error);
  assert.equal(seen.join(""), "half an answer");
  assert.equal(server.requests.length, 1);
});

Deno.test("chatWithFallback throws the last error's code naming every model tried", async () => {
  await using server = startFakeOpenAi([down, down, rateLimited(), rateLimited()]);
  const { options } = noWait({ policy: { ...POLICY, maxAttempts: 2 }, fallbackModels: ["b"] });
  const error = await thrown(() =>
    collect(chatWithFallback(openAiDriver(server), chatRequest(), options))
  );
  talonError("rate_limited", /every model failed \(tried "test-model", "b"\)/)(error);
  assert.deepEqual((error as TalonError).details?.models_tried, ["test-model", "b"]);
});

Deno.test("chatWithFallback stops sleeping as soon as the request is aborted", async () => {
  await using server = startFakeOpenAi([rateLimited({ "retry-after": "30" })]);
  const controller = new AbortController();
  // Not a timing: a hang guard well below the 30 s the retry would otherwise sleep.
  const error = await settle(
    thrown(() =>
      collect(chatWithFallback(openAiDriver(server), chatRequest({ signal: controller.signal }), {
        policy: { ...POLICY, maxMs: 60_000 },
        onRetry: (info) => {
          assert.equal(info.delayMs, 30_000);
          setTimeout(() => controller.abort(), 10);
        },
      }))
    ),
    "the aborted retry sleep",
    20_000,
  );
  assert.ok(error instanceof DOMException && error.name === "AbortError", String(error));
});

Deno.test("chatWithFallback waits a real Retry-After end to end and then answers", async () => {
  await using server = startFakeOpenAi([rateLimited({ "retry-after-ms": "50" }), {
    text: "after the wait",
  }]);
  const retries: RetryInfo[] = [];
  const chunks = await collect(chatWithFallback(openAiDriver(server), chatRequest(), {
    policy: POLICY,
    onRetry: (info) => retries.push(info),
  }));
  assert.equal(texts(chunks).join(""), "after the wait");
  assert.deepEqual(retries.map((r) => r.delayMs), [50]);
  assert.equal(server.requests.length, 2);
});
