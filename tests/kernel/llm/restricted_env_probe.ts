/**
 * Child-process probe for restricted_env_test.ts: builds both SDK drivers and
 * chats once with each fake server (URLs in argv) while `--allow-env` names
 * only LOCAL_KEY. Prints one line per reply.
 *
 * @module
 */
import { createAnthropicDriver } from "../../../kernel/llm/anthropic.ts";
import { createOpenAiDriver } from "../../../kernel/llm/openai.ts";

const [openAiUrl, anthropicUrl] = Deno.args;
const apiKey = Deno.env.get("LOCAL_KEY");
const drivers = [
  createOpenAiDriver({ name: "local", base_url: openAiUrl!, api_key_env: "LOCAL_KEY" }, { apiKey }),
  createAnthropicDriver({ name: "claude", base_url: anthropicUrl!, api_key_env: "LOCAL_KEY" }, {
    apiKey,
  }),
];
for (const driver of drivers) {
  let text = "";
  for await (
    const chunk of driver.chat({
      model: "m",
      messages: [{ role: "user", text: "hi" }],
      tools: [],
      maxTokens: 16,
    })
  ) {
    if (chunk.type === "text") text += chunk.text;
  }
  console.log(`${driver.kind}: ${text}`);
}
