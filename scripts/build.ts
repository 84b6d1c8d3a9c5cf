/**
 * `deno task build`: generates what `start`, `test` and `compile` need.
 * That is the route manifest, `http/routes.gen.ts`, and the WASM plugins of
 * skills and tests (rebuilt only when their sources changed).
 *
 * @module
 */
import { renderRouteManifest } from "./route_manifest.ts";
import { buildPlugins } from "./wasm_plugins.ts";

const root = new URL("../", import.meta.url);
const target = new URL("http/routes.gen.ts", root);
const source = await renderRouteManifest(new URL("routes", root).pathname);
let current = "";
try {
  current = await Deno.readTextFile(target);
} catch {
  // first build
}
if (current !== source) {
  await Deno.writeTextFile(target, source);
  console.log("build: wrote http/routes.gen.ts");
}

for (const build of await buildPlugins(root)) {
  if (build.rebuilt) {
    console.log(`build: rebuilt ${build.dir.slice(root.pathname.length)}/plugin.wasm`);
  }
}
