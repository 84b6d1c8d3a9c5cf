/**
 * `deno task build`: generates what `start`, `test` and `compile` need.
 * Today that is the route manifest, `http/routes.gen.ts`.
 *
 * @module
 */
import { renderRouteManifest } from "./route_manifest.ts";

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
