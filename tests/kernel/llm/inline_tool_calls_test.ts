import assert from "node:assert/strict";
import { type InlineCall, InlineToolCallParser } from "../../../kernel/llm/inline_tool_calls.ts";

/** Feeds `deltas`; returns what each push released, and the final result. */
function run(deltas: string[], tools = ["get_weather"]) {
  const parser = new InlineToolCallParser(tools);
  const released: string[] = [];
  const calls: InlineCall[] = [];
  for (const delta of deltas) {
    const out = parser.push(delta);
    released.push(out.text);
    calls.push(...out.calls);
  }
  const end = parser.finish();
  calls.push(...end.calls);
  return { released, final: end.text, text: released.join("") + end.text, calls };
}

Deno.test("inline parser streams ordinary text as it arrives", () => {
  const { released, calls } = run(["Hello", " world", ", how are you?"]);
  assert.deepEqual(released, ["Hello", " world", ", how are you?"]);
  assert.deepEqual(calls, []);
});

Deno.test("inline parser holds back only what could still start a <tool_call> tag", () => {
  const { released, final } = run(["Use <to", "ols wisely", " <tool_c"]);
  assert.deepEqual(released, ["Use ", "<tools wisely", " "]);
  assert.equal(final, "<tool_c", "an unfinished tag prefix is text at the end");
});

Deno.test("inline parser holds a leading '{' only while it can still be a call of an offered tool", () => {
  const other = run(['{"na', 'me": "get_time"', ', "arguments": {}}']);
  assert.deepEqual(other.released, ["", '{"name": "get_time"', ', "arguments": {}}']);
  assert.deepEqual(other.calls, []);

  const wrongKey = run(['{"city"', ': "Paris"}']);
  assert.deepEqual(wrongKey.released, ['{"city"', ': "Paris"}']);

  const call = run(['{"arguments": {"city": "Oslo"},', ' "name": "get_weather"}', "  "]);
  assert.deepEqual(call.released, ["", "", ""]);
  assert.equal(call.text, "");
  assert.deepEqual(call.calls, [{ name: "get_weather", args: { city: "Oslo" } }]);
});

Deno.test("inline parser reads a Hermes block with string arguments and one without its closing tag", () => {
  const quoted = run([
    '<tool_call>{"name": "get_weather", "arguments": "{\\"city\\": \\"Rome\\"}"}</tool_call>',
  ]);
  assert.deepEqual(quoted.calls, [{ name: "get_weather", args: { city: "Rome" } }]);
  assert.equal(quoted.text, "");

  const unclosed = run(['Sure. <tool_call>{"name": "get_weather", "arguments": {"city": "Nice"}}']);
  assert.equal(unclosed.text, "Sure. ");
  assert.deepEqual(unclosed.calls, [{ name: "get_weather", args: { city: "Nice" } }]);
});

Deno.test("inline parser reports a block with broken JSON as __invalid_arguments, and keeps blocks naming nothing as text", () => {
  const broken = run(['<tool_call>{"name": "get_weather", "arguments": {"city": }</tool_call>']);
  assert.deepEqual(broken.calls, [{
    name: "get_weather",
    args: { __invalid_arguments: '{"name": "get_weather", "arguments": {"city": }' },
  }]);
  const nameless = run(["<tool_call>just words</tool_call>"]);
  assert.equal(nameless.text, "<tool_call>just words</tool_call>");
  assert.deepEqual(nameless.calls, []);
});

Deno.test("inline parser does nothing when the request offers no tools", () => {
  const json = '{"name": "get_weather", "arguments": {}}';
  const { text, calls } = run([json, " <tool_call>{}</tool_call>"], []);
  assert.equal(text, `${json} <tool_call>{}</tool_call>`);
  assert.deepEqual(calls, []);
});
