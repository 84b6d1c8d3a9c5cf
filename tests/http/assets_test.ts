import assert from "node:assert/strict";
import { type BuiltBundles, loadAssets } from "../../http/assets.ts";

/** Imports `static/build/bundles.gen.ts` from a temp dir holding `files` (by name). */
async function withBuildDir(
  files: Record<string, string>,
  fn: (importBundles: () => Promise<BuiltBundles>) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "talon-assets-" });
  try {
    await Deno.mkdir(`${dir}/static/build`, { recursive: true });
    for (const [name, text] of Object.entries(files)) {
      await Deno.writeTextFile(`${dir}/static/build/${name}`, text);
    }
    const url = new URL(`file://${dir}/static/build/bundles.gen.ts`).href;
    await fn(() => import(url) as Promise<BuiltBundles>);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("loadAssets() finds the built bundles after `deno task build`", async () => {
  const warnings: string[] = [];
  const assets = await loadAssets((m) => warnings.push(m));
  assert.deepEqual(warnings, []);
  assert.match(assets.boot!, /^\/static\/build\/boot-[0-9a-f]{12}\.js$/);
  assert.match(assets.islands.LoginForm!, /^\/static\/build\/LoginForm-[0-9a-f]{12}\.js$/);
  assert.ok(assets.files.has(assets.boot!.slice("/static/".length)));
});

Deno.test("loadAssets() without built bundles serves pages without scripts and says how to build", async () => {
  await withBuildDir({}, async (importBundles) => {
    const warnings: string[] = [];
    const assets = await loadAssets((m) => warnings.push(m), { importBundles });
    assert.equal(assets.boot, undefined);
    assert.deepEqual(assets.islands, {});
    assert.match(warnings[0]!, /client bundles are not built.*run `deno task build`/);
    assert.match(assets.stylesheet, /^\/static\/talon-[0-9a-f]{12}\.css$/);
    assert.ok(assets.files.has(assets.stylesheet.slice("/static/".length)));
  });
});

Deno.test("loadAssets() throws a broken build rather than calling it not built", async () => {
  const broken: Record<string, Record<string, string>> = {
    "a syntax error": { "bundles.gen.ts": "export const BOOT = ;" },
    "a missing bundle": {
      "bundles.gen.ts": 'import "./boot-000000000000.js";\nexport const BOOT = "";',
    },
  };
  for (const [what, files] of Object.entries(broken)) {
    await withBuildDir(files, async (importBundles) => {
      const warnings: string[] = [];
      await assert.rejects(loadAssets((m) => warnings.push(m), { importBundles }), what);
      assert.deepEqual(warnings, [], what);
    });
  }
});

Deno.test("loadAssets() throws a permission error rather than calling the bundles not built", async () => {
  const warnings: string[] = [];
  const denied = new Deno.errors.NotCapable("Requires read access to bundles.gen.ts");
  await assert.rejects(
    loadAssets((m) => warnings.push(m), { importBundles: () => Promise.reject(denied) }),
    (e) => e === denied,
  );
  assert.deepEqual(warnings, []);
});
