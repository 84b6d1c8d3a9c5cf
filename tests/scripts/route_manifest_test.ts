import assert from "node:assert/strict";
import { listRoutes, patternOf, renderRouteManifest } from "../../scripts/route_manifest.ts";

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

Deno.test("listRoutes() routes the .well-known folder but skips other dot and underscore names", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const folder of [".well-known", ".hidden", "_lib", "api"]) {
      await Deno.mkdir(`${dir}/${folder}`);
      await Deno.writeTextFile(`${dir}/${folder}/card.json.ts`, "export const handler = {};\n");
    }
    await Deno.writeTextFile(`${dir}/.dotfile.ts`, "export const handler = {};\n");
    const patterns = (await listRoutes(dir)).map((r) => r.pattern).sort();
    assert.deepEqual(patterns, ["/.well-known/card.json", "/api/card.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
