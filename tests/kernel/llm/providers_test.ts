import assert from "node:assert/strict";
import { type EnvReader, loadConfig } from "../../../kernel/config.ts";
import { ProviderRegistry } from "../../../kernel/llm/providers.ts";
import { talonError, withTempDir } from "../fixtures.ts";

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

Deno.test("ProviderRegistry.assertUsable() refuses providers without a key", async () => {
  const providers = await registry("");
  assert.throws(() => providers.assertUsable("anthropic"), talonError("provider_unavailable"));
  assert.throws(() => providers.driver("openai"), talonError("provider_unavailable"));
});
