import assert from "node:assert/strict";
import { createOpenAiDriver } from "../../../kernel/llm/openai.ts";
import { fakeEmbedding, startFakeOpenAi } from "../../fakes/openai_server.ts";
import { collect } from "../fixtures.ts";
import {
  calls,
  chatRequest,
  endOf,
  openAiDriver,
  TEST_KEY,
  texts,
  TIME_TOOL,
  WEATHER_TOOL,
} from "./llm_helpers.ts";

Deno.test("openai driver streams a plain reply as deltas, then end with the server's usage and model", async () => {
  await using server = startFakeOpenAi([
    {
      text: "Hello from the fake model",
      model: "test-model-2025-01-01",
      usage: { prompt_tokens: 12, completion_tokens: 5 },
    },
  ]);
  const chunks = await collect(openAiDriver(server).chat(chatRequest({ temperature: 0.2 })));
  assert.deepEqual(texts(chunks), ["Hello ", "from ", "the ", "fake ", "model"]);
  const end = endOf(chunks);
  assert.deepEqual(end.usage, { input_tokens: 12, output_tokens: 5 });
  assert.equal(end.stopReason, "end_turn");
  assert.equal(end.model, "test-model-2025-01-01");

  const [request] = server.requests;
  assert.equal(request!.path, "/v1/chat/completions");
  assert.equal(request!.headers.authorization, `Bearer ${TEST_KEY}`);
  const body = request!.body as Record<string, unknown>;
  assert.equal(body.model, "test-model");
  assert.equal(body.stream, true);
  assert.deepEqual(body.stream_options, { include_usage: true });
  assert.equal(body.max_tokens, 256, "OpenAI-compatible servers get max_tokens");
  assert.equal(body.temperature, 0.2);
  assert.equal(body.tools, undefined, "no empty tools list");
});

Deno.test("openai driver maps system, user, assistant tool calls and tool results, and offers tools as functions", async () => {
  await using server = startFakeOpenAi([{ text: "ok" }]);
  await collect(
    openAiDriver(server).chat(chatRequest({
      tools: [WEATHER_TOOL],
      messages: [
        { role: "system", text: "be brief" },
        { role: "user", text: "weather in Paris?" },
        {
          role: "assistant",
          text: "",
          tool_calls: [{ id: "call_a", name: "get_weather", args: { city: "Paris" } }],
        },
        { role: "tool", tool_call_id: "call_a", text: "sunny" },
        { role: "assistant", text: "It is sunny." },
        { role: "user", text: "thanks" },
      ],
    })),
  );
  const body = server.requests[0]!.body as Record<string, unknown>;
  assert.deepEqual(body.messages, [
    { role: "system", content: "be brief" },
    { role: "user", content: "weather in Paris?" },
    {
      role: "assistant",
      content: null,
      tool_calls: [{
        id: "call_a",
        type: "function",
        function: { name: "get_weather", arguments: '{"city":"Paris"}' },
      }],
    },
    { role: "tool", tool_call_id: "call_a", content: "sunny" },
    { role: "assistant", content: "It is sunny." },
    { role: "user", content: "thanks" },
  ]);
  assert.deepEqual(body.tools, [{
    type: "function",
    function: {
      name: "get_weather",
      description: WEATHER_TOOL.description,
      parameters: WEATHER_TOOL.parameters,
    },
  }]);
});

Deno.test("openai driver yields one tool call assembled from argument deltas", async () => {
  await using server = startFakeOpenAi([
    { toolCalls: [{ id: "call_w1", name: "get_weather", arguments: { city: "Paris" } }] },
  ]);
  const chunks = await collect(
    openAiDriver(server).chat(chatRequest({ tools: [WEATHER_TOOL] })),
  );
  assert.deepEqual(calls(chunks), [{
    id: "call_w1",
    name: "get_weather",
    args: { city: "Paris" },
  }]);
  assert.deepEqual(texts(chunks), []);
  assert.equal(endOf(chunks).stopReason, "tool_use");
});

Deno.test("openai driver yields parallel tool calls in order", async () => {
  await using server = startFakeOpenAi([{
    text: "Checking both.",
    toolCalls: [
      { id: "call_1", name: "get_weather", arguments: { city: "Oslo" } },
      { id: "call_2", name: "system_time", arguments: {} },
    ],
  }]);
  const chunks = await collect(
    openAiDriver(server).chat(chatRequest({ tools: [WEATHER_TOOL, TIME_TOOL] })),
  );
  assert.equal(texts(chunks).join(""), "Checking both.");
  assert.deepEqual(calls(chunks), [
    { id: "call_1", name: "get_weather", args: { city: "Oslo" } },
    { id: "call_2", name: "system_time", args: {} },
  ]);
  assert.equal(endOf(chunks).stopReason, "tool_use");
});

Deno.test("openai driver accepts tool arguments sent as an object, without ids or index (local-model quirks)", async () => {
  await using server = startFakeOpenAi([
    {
      toolCalls: [{ name: "get_weather", arguments: { city: "Rome" } }],
      quirks: { argumentsAsObject: true, noIds: true },
    },
    {
      toolCalls: [
        { name: "get_weather", arguments: { city: "Lima" } },
        { name: "system_time", arguments: {} },
      ],
      quirks: { noIds: true, noIndex: true },
    },
  ]);
  const driver = openAiDriver(server);
  const request = chatRequest({ tools: [WEATHER_TOOL, TIME_TOOL] });
  const first = await collect(driver.chat(request));
  assert.deepEqual(calls(first), [{ id: "call_0", name: "get_weather", args: { city: "Rome" } }]);
  const second = await collect(driver.chat(request));
  assert.deepEqual(calls(second), [
    { id: "call_0", name: "get_weather", args: { city: "Lima" } },
    { id: "call_1", name: "system_time", args: {} },
  ]);
});

Deno.test("openai driver passes unreadable tool arguments on as __invalid_arguments", async () => {
  await using server = startFakeOpenAi([
    { toolCalls: [{ id: "c1", name: "get_weather", arguments: '{"city": "Par' }] },
  ]);
  const chunks = await collect(
    openAiDriver(server).chat(chatRequest({ tools: [WEATHER_TOOL] })),
  );
  assert.deepEqual(calls(chunks), [
    { id: "c1", name: "get_weather", args: { __invalid_arguments: '{"city": "Par' } },
  ]);
});

Deno.test("openai driver turns <tool_call> blocks in the text into tool calls without leaking them", async () => {
  await using server = startFakeOpenAi([{
    text: [
      "Let me check. <tool",
      '_call>\n{"name": "get_weather", "arg',
      'uments": {"city": "Bern"}}\n</tool_',
      "call>",
      "<tool_call>",
      '{"name": "system_time", "arguments": {}}',
      "</tool_call> Done <b>bold</b>",
    ],
  }]);
  const chunks = await collect(
    openAiDriver(server).chat(chatRequest({ tools: [WEATHER_TOOL, TIME_TOOL] })),
  );
  const streamed = texts(chunks).join("");
  assert.equal(streamed, "Let me check.  Done <b>bold</b>");
  assert.ok(!streamed.includes("tool_call"));
  assert.deepEqual(calls(chunks), [
    { id: "call_0", name: "get_weather", args: { city: "Bern" } },
    { id: "call_1", name: "system_time", args: {} },
  ]);
  assert.equal(endOf(chunks).stopReason, "tool_use");
});

Deno.test("openai driver turns a reply that is exactly one JSON call of an offered tool into a tool call", async () => {
  await using server = startFakeOpenAi([
    { text: ['{"name": "get_weather", ', '"parameters": {"city": "Kyiv"}}', "\n"] },
    { text: ['{"name": "launch_rockets", ', '"arguments": {}}'] },
    { text: ['{"name": "get_weather", "arguments": {}} ', "and more"] },
  ]);
  const driver = openAiDriver(server);
  const request = chatRequest({ tools: [WEATHER_TOOL] });
  const call = await collect(driver.chat(request));
  assert.deepEqual(texts(call), []);
  assert.deepEqual(calls(call), [{ id: "call_0", name: "get_weather", args: { city: "Kyiv" } }]);
  assert.equal(endOf(call).stopReason, "tool_use");

  const unknownTool = await collect(driver.chat(request));
  assert.equal(texts(unknownTool).join(""), '{"name": "launch_rockets", "arguments": {}}');
  assert.deepEqual(calls(unknownTool), []);

  const notAlone = await collect(driver.chat(request));
  assert.equal(texts(notAlone).join(""), '{"name": "get_weather", "arguments": {}} and more');
  assert.deepEqual(calls(notAlone), []);
});

Deno.test("openai driver estimates usage when the server sends none and maps length to max_tokens", async () => {
  await using server = startFakeOpenAi([
    { text: "a reply cut short", usage: null, finishReason: "length" },
  ]);
  const end = endOf(await collect(openAiDriver(server).chat(chatRequest())));
  assert.equal(end.stopReason, "max_tokens");
  assert.ok(end.usage.input_tokens > 0);
  assert.equal(end.usage.output_tokens, Math.ceil("a reply cut short".length / 4));
});

Deno.test("openai driver embeds through /v1/embeddings with vectors in input order", async () => {
  await using server = startFakeOpenAi([], { reverseEmbeddings: true });
  const input = ["first text", "the second one", "3"];
  const vectors = await openAiDriver(server).embed!({ model: "embed-small", input });
  assert.deepEqual(vectors, input.map((t, i) => fakeEmbedding(t, i)));
  const body = server.requests[0]!.body as Record<string, unknown>;
  assert.equal(server.requests[0]!.path, "/v1/embeddings");
  assert.deepEqual(body.input, input);
  assert.equal(body.model, "embed-small");
});

Deno.test("openai driver sends a placeholder key to keyless local servers", async () => {
  await using server = startFakeOpenAi([{ text: "hi" }]);
  const driver = createOpenAiDriver({ name: "ollama", base_url: server.url, api_key_env: null });
  await collect(driver.chat(chatRequest()));
  assert.equal(server.requests[0]!.headers.authorization, "Bearer no-key");
});
