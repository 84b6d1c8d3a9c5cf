import assert from "node:assert/strict";
import { type EnvReader, loadConfig } from "../../../kernel/config.ts";
import { ProviderRegistry } from "../../../kernel/llm/providers.ts";
import { startFakeOpenAi } from "../../fakes/openai_server.ts";
import { collect, talonError, withTempDir } from "../fixtures.ts";

const noEnv: EnvReader = () => undefined;

async function registry(configText: string, env: EnvReader = noEnv) {
  return await withTempDir(async (dir) => {
    const path = `${dir}/config.toml`;
    await Deno.writeTextFile(path, configText);
    return new ProviderRegistry(await loadConfig({ path, env: noEnv }), env);
  });
}

Deno.test("ProviderRegistry defaults to offline when no key is set", async () => {
  const providers = await registry("");
  assert.equal(providers.defaultProvider.name, "offline");
  assert.deepEqual(providers.list().map((p) => p.name).sort(), ["anthropic", "offline", "openai"]);
  const openai = providers.get("openai");
  assert.equal(openai.configured, false);
  assert.equal(openai.api_key_env, "OPENAI_API_KEY");
  assert.equal(providers.driver("offline").kind, "offline");
});

Deno.test("ProviderRegistry never exposes key values in its entries", async () => {
  const secret = "sk-test-secret-value-1234567890";
  const providers = await registry("", (k) => (k === "OPENAI_API_KEY" ? secret : undefined));
  assert.equal(providers.get("openai").configured, true);
  assert.ok(!JSON.stringify(providers.list()).includes(secret));
});

Deno.test("ProviderRegistry honours OPENAI_BASE_URL and config entries", async () => {
  const env: EnvReader = (k) => (k === "OPENAI_BASE_URL" ? "http://127.0.0.1:9/v1" : undefined);
  const providers = await registry(
    '[providers.local]\nkind = "offline"\ndefault_model = "script:/x.json"\n',
    env,
  );
  assert.equal(providers.get("openai").base_url, "http://127.0.0.1:9/v1");
  assert.equal(providers.get("local").kind, "offline");
  assert.equal(providers.get("local").default_model, "script:/x.json");
  assert.equal(providers.driver("local").kind, "offline");
});

Deno.test("ProviderRegistry.get() refuses unknown names and default_provider must exist", async () => {
  const providers = await registry("");
  assert.throws(() => providers.get("nope"), talonError("invalid_manifest", /nope/));
  assert.throws(() => providers.driver("nope"), talonError("invalid_manifest"));
  await assert.rejects(registry('default_provider = "ghost"\n'), talonError("invalid_manifest"));
});

Deno.test("ProviderRegistry.assertUsable() refuses built-in providers without a key, naming the variable", async () => {
  const providers = await registry("");
  assert.throws(
    () => providers.assertUsable("anthropic"),
    talonError("provider_unavailable", /ANTHROPIC_API_KEY/),
  );
  assert.throws(() => providers.driver("openai"), talonError("provider_unavailable"));
});

Deno.test("ProviderRegistry drives openai and anthropic entries once their key is set", async () => {
  const env: EnvReader = (k) => ({ OPENAI_API_KEY: "k1", ANTHROPIC_API_KEY: "k2" })[k];
  const providers = await registry("", env);
  assert.equal(providers.defaultProvider.name, "openai");
  assert.ok(providers.list().every((p) => p.supported));
  assert.equal(providers.driver("openai").kind, "openai");
  assert.equal(providers.driver("anthropic").kind, "anthropic");
  assert.equal(providers.driver("openai"), providers.driver("openai"), "created once");
  assert.equal(typeof providers.driver("openai").embed, "function");
  assert.equal(providers.driver("anthropic").embed, undefined);
});

Deno.test("ProviderRegistry sends the entry's key to an OpenAI-compatible server end to end", async () => {
  await using server = startFakeOpenAi([{ text: "hi from local" }]);
  const config = `[providers.local]\nkind = "openai"\nbase_url = "${server.url}"\n` +
    `api_key_env = "LOCAL_LLM_KEY"\ndefault_model = "llama3.2"\n`;
  const providers = await registry(
    config,
    (k) => (k === "LOCAL_LLM_KEY" ? "local-key-1" : undefined),
  );
  const entry = providers.assertUsable("local");
  const chunks = await collect(
    providers.driver("local").chat({
      model: entry.default_model,
      messages: [{ role: "user", text: "hi" }],
      tools: [],
      maxTokens: 64,
    }),
  );
  assert.equal(
    chunks.flatMap((c) => (c.type === "text" ? [c.text] : [])).join(""),
    "hi from local",
  );
  assert.equal(server.requests[0]!.headers.authorization, "Bearer local-key-1");
  assert.ok(!JSON.stringify(providers.list()).includes("local-key-1"));
});

Deno.test("ProviderRegistry treats a config entry with base_url and no api_key_env as a keyless local server", async () => {
  const providers = await registry(
    '[providers.ollama]\nkind = "openai"\nbase_url = "http://127.0.0.1:11434/v1"\n' +
      '[providers.bare]\nkind = "anthropic"\n',
  );
  assert.equal(providers.get("ollama").configured, true);
  assert.equal(providers.driver("ollama").kind, "openai");
  assert.throws(
    () => providers.driver("bare"),
    talonError("provider_unavailable", /api_key_env nor base_url/),
  );
});

Deno.test("ProviderRegistry exposes the model catalog and retry policy from config", async () => {
  const providers = await registry(
    "[llm]\nmax_attempts = 5\nretry_base_ms = 10\nretry_max_ms = 100\n" +
      "[models.echo]\ninput_usd_per_mtok = 1\noutput_usd_per_mtok = 1\n",
  );
  assert.deepEqual(providers.retryPolicy, { maxAttempts: 5, baseMs: 10, maxMs: 100 });
  assert.equal(providers.catalog.cost("echo", { input_tokens: 1_000_000, output_tokens: 0 }), 1);
  await assert.rejects(
    registry('[models.mine]\naliases = ["gpt-4o"]\n'),
    talonError("invalid_config", /gpt-4o/),
  );
});
