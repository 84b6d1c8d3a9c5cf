import assert from "node:assert/strict";
import { loadAssets } from "../../http/assets.ts";

Deno.test("loadAssets() finds the built bundles after `deno task build`", async () => {
  const warnings: string[] = [];
  const assets = await loadAssets((m) => warnings.push(m));
  assert.deepEqual(warnings, []);
  assert.match(assets.boot!, /^\/static\/build\/boot-[0-9a-f]{12}\.js$/);
  assert.match(assets.islands.LoginForm!, /^\/static\/build\/LoginForm-[0-9a-f]{12}\.js$/);
  assert.ok(assets.files.has(assets.boot!.slice("/static/".length)));
});

Deno.test("loadAssets() without built bundles serves pages without scripts and says how to build", async () => {
  const warnings: string[] = [];
  const assets = await loadAssets((m) => warnings.push(m), {
    importBundles: () => Promise.reject(new TypeError("Module not found")),
  });
  assert.equal(assets.boot, undefined);
  assert.deepEqual(assets.islands, {});
  assert.match(warnings[0]!, /client bundles are not built.*run `deno task build`/);
  assert.match(assets.stylesheet, /^\/static\/talon-[0-9a-f]{12}\.css$/);
  assert.ok(assets.files.has(assets.stylesheet.slice("/static/".length)));
});
