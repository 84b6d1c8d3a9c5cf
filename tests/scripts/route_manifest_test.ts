import assert from "node:assert/strict";
import { patternOf, renderRouteManifest } from "../../scripts/route_manifest.ts";

const root = new URL("../../", import.meta.url).pathname;

Deno.test("renderRouteManifest() matches the committed http/routes.gen.ts (run `deno task build` if not)", async () => {
  const expected = await renderRouteManifest(`${root}routes`);
  const committed = await Deno.readTextFile(`${root}http/routes.gen.ts`);
  assert.equal(committed, expected, "http/routes.gen.ts is stale: run `deno task build`");
});

Deno.test("patternOf() maps files to URL patterns the way Fresh does", () => {
  assert.equal(patternOf("index.tsx"), "/");
  assert.equal(patternOf("api/health.ts"), "/api/health");
  assert.equal(patternOf("api/agents/index.ts"), "/api/agents");
  assert.equal(patternOf("agents/[id].tsx"), "/agents/:id");
  assert.equal(patternOf("api/agents/[id]/message/stream.ts"), "/api/agents/:id/message/stream");
  assert.equal(patternOf("files/[...path].ts"), "/files/*");
});
