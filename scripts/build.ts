/**
 * `deno task build`: generates what `start`, `test` and `compile` need —
 * the route manifest (`http/routes.gen.ts`) and the island manifest
 * (`http/islands.gen.ts`), both committed, the WASM plugins of skills and
 * tests (committed; rebuilt only when their sources changed), and the
 * client bundles in `static/build/` (git-ignored).
 *
 * @module
 */
import { bundleClient } from "./client_bundle.ts";
import { renderIslandManifest } from "./island_manifest.ts";
import { renderRouteManifest } from "./route_manifest.ts";
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
await writeIfChanged("http/routes.gen.ts", await renderRouteManifest(`${root}/routes`));
await writeIfChanged("http/islands.gen.ts", await renderIslandManifest(`${root}/islands`));
const bundle = await bundleClient(root);
console.log(`build: bundled ${bundle.files.length} files into static/build/`);
