import assert from "node:assert/strict";
import { listIslands, renderIslandManifest } from "../../scripts/island_manifest.ts";

const root = new URL("../../", import.meta.url).pathname;

Deno.test("renderIslandManifest() matches the committed http/islands.gen.ts (run `deno task build` if not)", async () => {
  const expected = await renderIslandManifest(`${root}islands`);
  const committed = await Deno.readTextFile(`${root}http/islands.gen.ts`);
  assert.equal(committed, expected, "http/islands.gen.ts is stale: run `deno task build`");
});

Deno.test("listIslands() takes the PascalCase .tsx files in islands/ and leaves islands/lib/ out", async () => {
  const names = await listIslands(`${root}islands`);
  assert.ok(names.includes("LoginForm"));
  assert.ok(!names.includes("boot") && !names.includes("island_props"));
  assert.ok(names.every((name) => /^[A-Z]/.test(name)));
});

Deno.test("listIslands() refuses a file in islands/ that is not an island, pointing to islands/lib/", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/lib`);
    await Deno.writeTextFile(`${dir}/lib/helper.ts`, "export const x = 1;\n");
    await Deno.writeTextFile(`${dir}/Good.tsx`, "export default () => null;\n");
    assert.deepEqual(await listIslands(dir), ["Good"]);
    await Deno.writeTextFile(`${dir}/helper.ts`, "export const x = 1;\n");
    await assert.rejects(
      () => listIslands(dir),
      (e: Error) =>
        e instanceof TypeError &&
        /islands\/helper\.ts is not an island.*islands\/lib\//.test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
