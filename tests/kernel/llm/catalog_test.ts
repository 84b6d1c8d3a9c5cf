import assert from "node:assert/strict";
import { type EnvReader, loadConfig } from "../../../kernel/config.ts";
import { ModelConfig } from "../../../kernel/types.ts";
import { BUILT_IN_PRICES_AS_OF, ModelCatalog } from "../../../kernel/llm/catalog.ts";
import { talonError, withTempDir } from "../fixtures.ts";

const noEnv: EnvReader = () => undefined;

function models(entries: Record<string, unknown>): Record<string, ModelConfig> {
  return Object.fromEntries(
    Object.entries(entries).map(([id, entry]) => [id, ModelConfig.parse(entry)]),
  );
}

Deno.test("ModelCatalog resolves built-in models by id and by alias", () => {
  const catalog = new ModelCatalog();
  assert.match(BUILT_IN_PRICES_AS_OF, /^\d{4}-\d{2}-\d{2}$/);
  const mini = catalog.resolve("gpt-4o-mini")!;
  assert.equal(mini.input_usd_per_mtok, 0.15);
  assert.equal(mini.output_usd_per_mtok, 0.6);
  assert.equal(mini.context_window, 128_000);
  assert.equal(catalog.resolve("gpt-4o-mini-2024-07-18")?.id, "gpt-4o-mini");
  assert.equal(catalog.canonical("claude-3-5-haiku-20241022"), "claude-3-5-haiku-latest");
  assert.equal(catalog.canonical("my-local-model"), "my-local-model");
  assert.equal(catalog.resolve("my-local-model"), undefined);
  assert.equal(catalog.contextWindow("claude-sonnet-4-0"), 200_000);
  for (const id of ["gpt-4o", "gpt-4.1", "gpt-4.1-mini", "claude-opus-4-0"]) {
    assert.ok(catalog.resolve(id), id);
  }
});

Deno.test("ModelCatalog.cost() prices usage per million tokens and is undefined without prices", () => {
  const catalog = new ModelCatalog();
  const usage = { input_tokens: 1_000_000, output_tokens: 500_000 };
  assert.equal(catalog.cost("gpt-4o", usage), 2.5 + 5);
  assert.equal(catalog.cost("claude-opus-4-20250514", usage), 15 + 37.5);
  assert.ok(
    Math.abs(catalog.cost("gpt-4o-mini", { input_tokens: 1000, output_tokens: 100 })! - 0.00021) <
      1e-12,
  );
  assert.equal(catalog.cost("llama3.2", usage), undefined);
  assert.equal(
    catalog.cost("text-embedding-3-small", { input_tokens: 1_000_000, output_tokens: 0 }),
    0.02,
  );
});

Deno.test("ModelCatalog merges config entries field by field and prices offline models", () => {
  const catalog = new ModelCatalog(models({
    "gpt-4o-mini": { input_usd_per_mtok: 0.2, aliases: ["mini"] },
    "echo": { input_usd_per_mtok: 1, output_usd_per_mtok: 2 },
    "llama3.2": { context_window: 8192, aliases: ["llama"] },
  }));
  const mini = catalog.resolve("mini")!;
  assert.equal(mini.id, "gpt-4o-mini");
  assert.equal(mini.input_usd_per_mtok, 0.2, "config wins");
  assert.equal(mini.output_usd_per_mtok, 0.6, "built-in kept where config is silent");
  assert.deepEqual(mini.aliases, ["gpt-4o-mini-2024-07-18", "mini"]);
  assert.equal(catalog.cost("echo", { input_tokens: 500_000, output_tokens: 250_000 }), 1);
  assert.equal(catalog.contextWindow("llama"), 8192);
  assert.equal(catalog.cost("llama", { input_tokens: 1, output_tokens: 1 }), undefined);
  assert.ok(catalog.list().some((m) => m.id === "echo"));
});

Deno.test("ModelCatalog.cost() needs a price for every side that has tokens", () => {
  const catalog = new ModelCatalog(models({ "half": { input_usd_per_mtok: 4 } }));
  assert.equal(catalog.cost("half", { input_tokens: 250_000, output_tokens: 0 }), 1);
  assert.equal(catalog.cost("half", { input_tokens: 250_000, output_tokens: 10 }), undefined);
});

Deno.test("ModelCatalog refuses an alias that names another model", () => {
  assert.throws(
    () => new ModelCatalog(models({ "mine": { aliases: ["gpt-4o"] } })),
    talonError("invalid_config", /"gpt-4o" would stand for both "gpt-4o" and "mine"/),
  );
  assert.throws(
    () => new ModelCatalog(models({ "a": { aliases: ["x"] }, "b": { aliases: ["x"] } })),
    talonError("invalid_config", /"x"/),
  );
  assert.throws(
    () => new ModelCatalog(models({ "gpt-4o-mini-2024-07-18": { input_usd_per_mtok: 1 } })),
    talonError("invalid_config", /gpt-4o-mini-2024-07-18/),
  );
});

Deno.test("ModelCatalog.fromConfig() reads [models] from config.toml", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/config.toml`;
    await Deno.writeTextFile(
      path,
      '[models."script:/tmp/s.json"]\ninput_usd_per_mtok = 3\noutput_usd_per_mtok = 6\naliases = ["scripted"]\n',
    );
    const catalog = ModelCatalog.fromConfig(await loadConfig({ path, env: noEnv }));
    assert.equal(catalog.canonical("scripted"), "script:/tmp/s.json");
    assert.equal(catalog.cost("scripted", { input_tokens: 1_000_000, output_tokens: 0 }), 3);
  });
});
