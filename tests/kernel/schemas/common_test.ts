import assert from "node:assert/strict";
import { TalonError } from "../../../kernel/errors.ts";
import { AgentManifest, PageQuery, parseOrRefuse } from "../../../kernel/types.ts";

Deno.test("parseOrRefuse() returns the parsed value, defaults applied", () => {
  assert.equal(parseOrRefuse(AgentManifest, { name: "bot" }).max_tokens, 4096);
  assert.equal(parseOrRefuse(PageQuery, { limit: "5" }).limit, 5);
});

Deno.test("parseOrRefuse() refuses bad input with the code, prefixed issues and every field's path", () => {
  const bad = { name: "Bad", capabilities: ["file_read", "nope"], extra: 1 };
  assert.throws(
    () =>
      parseOrRefuse(AgentManifest, bad, { code: "invalid_manifest", prefix: "invalid manifest" }),
    (e: unknown) => {
      assert.ok(e instanceof TalonError);
      assert.equal(e.code, "invalid_manifest");
      assert.match(e.message, /^invalid manifest: .*name: must be a slug/);
      assert.deepEqual(Object.keys(e.fields ?? {}).sort(), ["capabilities.1", "extra", "name"]);
      return true;
    },
  );
  assert.throws(
    () => parseOrRefuse(PageQuery, { limit: "0" }),
    (e: unknown) =>
      e instanceof TalonError && e.code === "invalid_input" && /^limit: /.test(e.message),
  );
});
