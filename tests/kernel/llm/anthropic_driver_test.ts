import assert from "node:assert/strict";
import { toAnthropicMessages } from "../../../kernel/llm/anthropic.ts";
import { startFakeAnthropic } from "../../fakes/anthropic_server.ts";
import { collect, talonError } from "../fixtures.ts";
import {
  anthropicDriver,
  calls,
  chatRequest,
  endOf,
  TEST_KEY,
  texts,
  thrown,
  TIME_TOOL,
  WEATHER_TOOL,
} from "./llm_helpers.ts";

Deno.test("anthropic driver streams a plain reply, with usage from message_start and message_delta", async () => {
  await using server = startFakeAnthropic([{
    text: "Hello from Claude",
    model: "claude-3-5-haiku-20241022",
    usage: { input_tokens: 21, output_tokens: 7 },
  }]);
  const chunks = await collect(
    anthropicDriver(server).chat(chatRequest({
      model: "claude-3-5-haiku-latest",
      messages: [{ role: "system", text: "be brief" }, { role: "user", text: "hi" }],
    })),
  );
  assert.deepEqual(texts(chunks), ["Hello ", "from ", "Claude"]);
  const end = endOf(chunks);
  assert.deepEqual(end.usage, { input_tokens: 21, output_tokens: 7 });
  assert.equal(end.stopReason, "end_turn");
  assert.equal(end.model, "claude-3-5-haiku-20241022");

  const [request] = server.requests;
  assert.equal(request!.path, "/v1/messages");
  assert.equal(
    request!.headers.authorization,
    `Bearer ${TEST_KEY}`,
    "this SDK sends the key as a bearer token",
  );
  const body = request!.body as Record<string, unknown>;
  assert.equal(body.model, "claude-3-5-haiku-latest");
  assert.equal(body.stream, true);
  assert.equal(body.max_tokens, 256);
  assert.equal(body.system, "be brief");
  assert.deepEqual(body.messages, [{ role: "user", content: [{ type: "text", text: "hi" }] }]);
  assert.equal(body.tools, undefined);
});

Deno.test("anthropic driver yields one and parallel tool_use blocks as tool calls", async () => {
  await using server = startFakeAnthropic([
    { toolCalls: [{ id: "toolu_1", name: "get_weather", input: { city: "Paris" } }] },
    {
      text: "Let me look.",
      toolCalls: [
        { id: "toolu_2", name: "get_weather", input: { city: "Oslo", units: "metric" } },
        { id: "toolu_3", name: "system_time", input: {} },
      ],
    },
  ]);
  const driver = anthropicDriver(server);
  const request = chatRequest({ tools: [WEATHER_TOOL, TIME_TOOL] });
  const one = await collect(driver.chat(request));
  assert.deepEqual(calls(one), [{ id: "toolu_1", name: "get_weather", args: { city: "Paris" } }]);
  assert.equal(endOf(one).stopReason, "tool_use");

  const two = await collect(driver.chat(request));
  assert.equal(texts(two).join(""), "Let me look.");
  assert.deepEqual(calls(two), [
    { id: "toolu_2", name: "get_weather", args: { city: "Oslo", units: "metric" } },
    { id: "toolu_3", name: "system_time", args: {} },
  ]);
  const body = server.requests[0]!.body as Record<string, unknown>;
  assert.deepEqual(body.tools, [
    {
      name: "get_weather",
      description: WEATHER_TOOL.description,
      input_schema: WEATHER_TOOL.parameters,
    },
    { name: "system_time", description: TIME_TOOL.description, input_schema: TIME_TOOL.parameters },
  ]);
});

Deno.test("anthropic driver maps max_tokens stop reason and an overloaded error event after output", async () => {
  await using server = startFakeAnthropic([
    { text: "cut", stopReason: "max_tokens" },
    { text: "partial answer", streamError: { type: "overloaded_error", message: "Overloaded" } },
  ]);
  const driver = anthropicDriver(server);
  assert.equal(endOf(await collect(driver.chat(chatRequest()))).stopReason, "max_tokens");
  const seen: string[] = [];
  const error = await thrown(async () => {
    for await (const chunk of driver.chat(chatRequest())) {
      if (chunk.type === "text") seen.push(chunk.text);
    }
  });
  assert.equal(seen.join(""), "partial answer");
  talonError("provider_down", /Overloaded/)(error);
});

Deno.test("toAnthropicMessages() merges tool results and same-role messages, drops empty text, puts system aside", () => {
  const { system, messages } = toAnthropicMessages([
    { role: "system", text: "rule one" },
    { role: "user", text: "weather and time?" },
    { role: "user", text: "   " },
    {
      role: "assistant",
      text: "",
      tool_calls: [
        { id: "t1", name: "get_weather", args: { city: "Rome" } },
        { id: "t2", name: "system_time", args: {} },
      ],
    },
    { role: "tool", tool_call_id: "t1", text: "sunny" },
    { role: "tool", tool_call_id: "t2", text: "" },
    { role: "user", text: "and tomorrow?" },
    { role: "assistant", text: "Let me see." },
    { role: "assistant", text: "Rain." },
    { role: "system", text: "rule two" },
  ]);
  assert.equal(system, "rule one\n\nrule two");
  assert.deepEqual(messages, [
    { role: "user", content: [{ type: "text", text: "weather and time?" }] },
    {
      role: "assistant",
      content: [
        { type: "tool_use", id: "t1", name: "get_weather", input: { city: "Rome" } },
        { type: "tool_use", id: "t2", name: "system_time", input: {} },
      ],
    },
    {
      role: "user",
      content: [
        { type: "tool_result", tool_use_id: "t1", content: "sunny" },
        { type: "tool_result", tool_use_id: "t2" },
        { type: "text", text: "and tomorrow?" },
      ],
    },
    {
      role: "assistant",
      content: [{ type: "text", text: "Let me see." }, { type: "text", text: "Rain." }],
    },
  ]);
});

Deno.test("anthropic driver has no embed (Anthropic has no embeddings API)", async () => {
  await using server = startFakeAnthropic([]);
  assert.equal(anthropicDriver(server).embed, undefined);
});
