import assert from "node:assert/strict";
import { listIslands, renderIslandManifest } from "../../scripts/island_manifest.ts";

const root = new URL("../../", import.meta.url).pathname;

Deno.test("renderIslandManifest() matches the committed http/islands.gen.ts (run `deno task build` if not)", async () => {
  const expected = await renderIslandManifest(`${root}islands`);
  const committed = await Deno.readTextFile(`${root}http/islands.gen.ts`);
  assert.equal(committed, expected, "http/islands.gen.ts is stale: run `deno task build`");
});

Deno.test("listIslands() takes PascalCase .tsx files only: .ts modules in islands/ are shared code", async () => {
  const names = await listIslands(`${root}islands`);
  assert.ok(names.includes("LoginForm"));
  assert.ok(!names.includes("boot") && !names.includes("island_props"));
});
