/**
 * Each SDK driver module loads its own SDK only: the drivers share their
 * types through driver.ts and their error mapping through provider_errors.ts,
 * neither of which imports an SDK. (`deno info` follows dynamic imports too,
 * so the registry, which loads each driver on first use, is not checked.)
 */
import assert from "node:assert/strict";

/** The npm packages (name without version) in the static module graph of `module`. */
async function npmPackagesOf(module: string): Promise<string[]> {
  const path = new URL(`../../../kernel/llm/${module}`, import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", path],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const graph = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    modules: { kind?: string; specifier: string }[];
  };
  return graph.modules.filter((m) => m.kind === "npm")
    .map((m) => m.specifier.replace(/^npm:\/?/, "").replace(/@[^@/]+$/, ""));
}

Deno.test("loading the Anthropic driver does not load the OpenAI SDK", async () => {
  const packages = await npmPackagesOf("anthropic.ts");
  assert.ok(packages.includes("@anthropic-ai/sdk"), `graph: ${packages.join(", ")}`);
  assert.ok(!packages.includes("openai"), `graph: ${packages.join(", ")}`);
});

Deno.test("loading the OpenAI driver does not load the Anthropic SDK", async () => {
  const packages = await npmPackagesOf("openai.ts");
  assert.ok(packages.includes("openai"), `graph: ${packages.join(", ")}`);
  assert.ok(!packages.includes("@anthropic-ai/sdk"), `graph: ${packages.join(", ")}`);
});

Deno.test("the driver types and the error mapping load no SDK", async () => {
  for (const module of ["driver.ts", "provider_errors.ts"]) {
    const packages = await npmPackagesOf(module);
    assert.ok(
      !packages.includes("openai") && !packages.includes("@anthropic-ai/sdk"),
      `${module}: ${packages.join(", ")}`,
    );
  }
});
