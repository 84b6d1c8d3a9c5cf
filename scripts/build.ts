/**
 * `deno task build`: generates what `start`, `test` and `compile` need —
 * the route manifest (`http/routes.gen.ts`) and the island manifest
 * (`http/islands.gen.ts`), both committed, the WASM plugins of skills and
 * tests (committed; rebuilt only when their sources changed), each bundled
 * skill's front matter as JSON (`skills/<name>/front_matter.json`, committed),
 * and the client bundles in `static/build/` (git-ignored).
 *
 * @module
 */
import { bundleClient } from "./client_bundle.ts";
import { renderIslandManifest } from "./island_manifest.ts";
import { renderRouteManifest } from "./route_manifest.ts";
import { renderFrontMatters } from "./skill_front_matter.ts";
import { buildPlugins } from "./wasm_plugins.ts";

const root = new URL("../", import.meta.url).pathname.replace(/\/$/, "");

async function writeIfChanged(file: string, source: string): Promise<void> {
  let current = "";
  try {
    current = await Deno.readTextFile(`${root}/${file}`);
  } catch {
    // first build
  }
  if (current !== source) {
    await Deno.writeTextFile(`${root}/${file}`, source);
    console.log(`build: wrote ${file}`);
  }
}

const rootUrl = new URL("../", import.meta.url);
for (const build of await buildPlugins(rootUrl)) {
  if (build.rebuilt) {
    console.log(`build: rebuilt ${build.dir.slice(rootUrl.pathname.length)}/plugin.wasm`);
  }
}
for (const [path, json] of await renderFrontMatters(`${root}/skills`)) {
  await writeIfChanged(path.slice(root.length + 1), json);
}
await writeIfChanged("http/routes.gen.ts", await renderRouteManifest(`${root}/routes`));
await writeIfChanged("http/islands.gen.ts", await renderIslandManifest(`${root}/islands`));
const bundle = await bundleClient(root);
console.log(`build: bundled ${bundle.files.length} files into static/build/`);
