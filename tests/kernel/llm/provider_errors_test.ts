import assert from "node:assert/strict";
import { TalonError } from "../../../kernel/errors.ts";
import { createAnthropicDriver } from "../../../kernel/llm/anthropic.ts";
import type { LlmDriver } from "../../../kernel/llm/driver.ts";
import { createOpenAiDriver } from "../../../kernel/llm/openai.ts";
import { retryAfterMs } from "../../../kernel/llm/provider_errors.ts";
import { startFakeAnthropic } from "../../fakes/anthropic_server.ts";
import { closedPort } from "../../fakes/fake_http.ts";
import { startFakeOpenAi } from "../../fakes/openai_server.ts";
import { collect, talonError } from "../fixtures.ts";
import { anthropicDriver, chatRequest, openAiDriver, TEST_KEY, thrown } from "./llm_helpers.ts";

function talon(error: unknown): TalonError {
  assert.ok(error instanceof TalonError, `expected a TalonError, got ${String(error)}`);
  assert.ok(!error.message.includes(TEST_KEY), `key leaked: ${error.message}`);
  assert.ok(!JSON.stringify(error.details).includes(TEST_KEY), "key leaked into details");
  return error;
}

async function failure(driver: LlmDriver, model = "test-model"): Promise<TalonError> {
  return talon(await thrown(() => collect(driver.chat(chatRequest({ model })))));
}

Deno.test("openai driver maps 401 to provider_auth naming the env var, never the key", async () => {
  await using server = startFakeOpenAi([{
    status: 401,
    error: {
      message: `Incorrect API key provided: ${TEST_KEY}.`,
      type: "invalid_request_error",
      code: "invalid_api_key",
    },
  }]);
  const error = await failure(openAiDriver(server));
  talonError("provider_auth", /provider "local" rejected the API key \(401\); check LOCAL_KEY/)(
    error,
  );
  assert.equal(error.details?.status, 401);
  assert.ok(error.cause, "the SDK error is kept as cause");
});

Deno.test("openai driver maps 429 to rate_limited with retry_after_ms from retry-after-ms or retry-after", async () => {
  await using server = startFakeOpenAi([
    {
      status: 429,
      error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" },
      headers: { "retry-after-ms": "1500" },
    },
    {
      status: 429,
      error: { message: "Rate limit reached", type: "tokens", code: "rate_limit_exceeded" },
      headers: { "retry-after": "2" },
    },
    { status: 429, error: { message: "slow down", type: "requests", code: null } },
  ]);
  const driver = openAiDriver(server);
  const first = await failure(driver);
  talonError("rate_limited", /rate limiting/)(first);
  assert.equal(first.details?.retry_after_ms, 1500);
  assert.equal(first.details?.status, 429);
  assert.equal((await failure(driver)).details?.retry_after_ms, 2000);
  assert.equal((await failure(driver)).details?.retry_after_ms, undefined);
});

Deno.test("openai driver maps an exhausted quota to provider_auth, not a retryable rate limit", async () => {
  await using server = startFakeOpenAi([{
    status: 429,
    error: {
      message: "You exceeded your current quota",
      type: "insufficient_quota",
      code: "insufficient_quota",
    },
  }]);
  talonError("provider_auth", /no quota left/)(await failure(openAiDriver(server)));
});

Deno.test("openai driver maps 500 and a refused connection to provider_down", async () => {
  await using server = startFakeOpenAi([
    {
      status: 500,
      error: { message: "The server had an error", type: "server_error", code: null },
    },
  ]);
  const down = await failure(openAiDriver(server));
  talonError("provider_down", /provider "local" failed \(500\)/)(down);
  assert.equal(down.details?.status, 500);

  const url = `http://127.0.0.1:${closedPort()}/v1`;
  const refused = await failure(
    createOpenAiDriver({ name: "local", base_url: url, api_key_env: "LOCAL_KEY" }, {
      apiKey: TEST_KEY,
    }),
  );
  talonError("provider_down", /cannot reach provider "local" at http:\/\/127\.0\.0\.1:\d+\/v1/)(
    refused,
  );
  assert.equal(refused.details?.status, null);
});

Deno.test("openai driver maps context-length errors to context_too_long", async () => {
  await using server = startFakeOpenAi([
    {
      status: 400,
      error: {
        message:
          "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.",
        type: "invalid_request_error",
        code: "context_length_exceeded",
        param: "messages",
      },
    },
    {
      status: 400,
      error: {
        message: "the request exceeds the available context size",
        type: "exceed_context_size_error",
      },
    },
  ]);
  const driver = openAiDriver(server);
  const error = await failure(driver, "gpt-4o");
  talonError("context_too_long", /too long for model "gpt-4o"/)(error);
  assert.equal(error.details?.status, 400);
  talonError("context_too_long")(await failure(driver));
});

Deno.test("openai driver maps 404 to driver_error with status 404 and other 4xx to driver_error", async () => {
  await using server = startFakeOpenAi([
    {
      status: 404,
      error: {
        message: "The model `nope` does not exist",
        type: "invalid_request_error",
        code: "model_not_found",
      },
    },
    { status: 422, error: { message: "bad field", type: "invalid_request_error" } },
  ]);
  const driver = openAiDriver(server);
  const missing = await failure(driver, "nope");
  talonError("driver_error", /does not know model "nope" \(404\)/)(missing);
  assert.equal(missing.details?.status, 404);
  const other = await failure(driver);
  talonError("driver_error", /refused the request \(422\): bad field/)(other);
});

Deno.test("provider errors scrub the key from any provider text and redact key-shaped strings", async () => {
  await using server = startFakeOpenAi([
    {
      status: 400,
      error: { message: `bad request for key ${TEST_KEY}`, type: "invalid_request_error" },
    },
    {
      status: 500,
      error: { message: "leaked sk-abcdefghijklmnopqrstuvwxyz012345", type: "server_error" },
    },
  ]);
  const driver = openAiDriver(server);
  assert.match((await failure(driver)).message, /\[REDACTED\]/);
  const redacted = await failure(driver);
  assert.ok(!redacted.message.includes("sk-abcdefghijklmnop"), redacted.message);
});

Deno.test("anthropic driver maps 401, 429, 500 and 529 overloaded to TalonError codes", async () => {
  await using server = startFakeAnthropic([
    { status: 401, error: { type: "authentication_error", message: "invalid x-api-key" } },
    {
      status: 429,
      error: {
        type: "rate_limit_error",
        message: "Number of request tokens has exceeded your limit",
      },
      headers: { "retry-after": "3" },
    },
    { status: 500, error: { type: "api_error", message: "Internal server error" } },
    { status: 529, error: { type: "overloaded_error", message: "Overloaded" } },
  ]);
  const driver = anthropicDriver(server);
  talonError(
    "provider_auth",
    /provider "anthropic" rejected the API key \(401\); check ANTHROPIC_API_KEY/,
  )(
    await failure(driver),
  );
  const limited = await failure(driver);
  talonError("rate_limited", /exceeded your limit/)(limited);
  assert.equal(limited.details?.retry_after_ms, 3000);
  talonError("provider_down", /\(500 api_error\)|\(500\)/)(await failure(driver));
  const overloaded = await failure(driver);
  talonError("provider_down", /failed \(529\): Overloaded/)(overloaded);
  assert.equal(overloaded.details?.status, 529);
});

Deno.test("anthropic driver maps 'prompt is too long' to context_too_long and a refused connection to provider_down", async () => {
  await using server = startFakeAnthropic([
    {
      status: 400,
      error: {
        type: "invalid_request_error",
        message: "prompt is too long: 210000 tokens > 200000 maximum",
      },
    },
  ]);
  talonError("context_too_long", /prompt is too long/)(await failure(anthropicDriver(server)));
  const url = `http://127.0.0.1:${closedPort()}`;
  const driver = createAnthropicDriver(
    { name: "anthropic", base_url: url, api_key_env: "ANTHROPIC_API_KEY" },
    { apiKey: TEST_KEY },
  );
  talonError("provider_down", /cannot reach provider "anthropic"/)(await failure(driver));
});

Deno.test("retryAfterMs() reads retry-after-ms, seconds and HTTP dates", () => {
  assert.equal(retryAfterMs(new Headers({ "retry-after-ms": "250" })), 250);
  assert.equal(retryAfterMs(new Headers({ "retry-after": "1.5" })), 1500);
  const now = Date.parse("2025-01-01T00:00:00Z");
  assert.equal(
    retryAfterMs(new Headers({ "retry-after": "Wed, 01 Jan 2025 00:00:04 GMT" }), now),
    4000,
  );
  assert.equal(retryAfterMs(new Headers({ "retry-after": "soon" })), undefined);
  assert.equal(retryAfterMs(undefined), undefined);
});
