/**
 * `deno task build`: generates what `start`, `test` and `compile` need —
 * the route manifest (`http/routes.gen.ts`) and the island manifest
 * (`http/islands.gen.ts`), both committed, and the client bundles in
 * `static/build/` (git-ignored).
 *
 * @module
 */
import { bundleClient } from "./client_bundle.ts";
import { renderIslandManifest } from "./island_manifest.ts";
import { renderRouteManifest } from "./route_manifest.ts";

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

await writeIfChanged("http/routes.gen.ts", await renderRouteManifest(`${root}/routes`));
await writeIfChanged("http/islands.gen.ts", await renderIslandManifest(`${root}/islands`));
const bundle = await bundleClient(root);
console.log(`build: bundled ${bundle.files.length} files into static/build/`);
