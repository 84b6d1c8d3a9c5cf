import assert from "node:assert/strict";
import { manifestFormatOf, parseManifestText } from "../../kernel/manifest_text.ts";
import { AgentManifest } from "../../kernel/types.ts";
import { talonError } from "./fixtures.ts";

Deno.test("manifestFormatOf() follows a file name or media type, else the text", () => {
  const cases: [string, string | undefined, string][] = [
    ['{"name": "a"}', undefined, "json"],
    ['  \n {"name": "a"}', undefined, "json"],
    ['name = "a"', undefined, "toml"],
    ["", undefined, "toml"],
    ['name = "a"', "agent.JSON", "json"],
    ['{"name": "a"}', "agent.toml", "toml"],
    ['name = "a"', "application/json; charset=utf-8", "json"],
    ['{"name": "a"}', "application/toml", "toml"],
    ['{"name": "a"}', "", "json"],
    ['name = "a"', "agent.txt", "toml"],
    ['{"name": "a"}', "text/plain", "json"],
  ];
  for (const [text, hint, format] of cases) {
    assert.equal(manifestFormatOf(text, hint), format, `${JSON.stringify(text)} with ${hint}`);
  }
});

Deno.test("parseManifestText() reads JSON and TOML to the same value, unvalidated", () => {
  const toml = 'name = "a"\ncapabilities = ["file_read"]\n[resources]\nmax_iterations = 3\n';
  const json = '{"name":"a","capabilities":["file_read"],"resources":{"max_iterations":3}}';
  const plain = (value: unknown) => JSON.parse(JSON.stringify(value));
  assert.deepEqual(plain(parseManifestText(toml)), parseManifestText(json));
  assert.equal(AgentManifest.parse(parseManifestText(toml)).resources.max_iterations, 3);
  assert.deepEqual(parseManifestText('{"anything": [1]}'), { anything: [1] });
});

Deno.test("parseManifestText() refuses bad text with invalid_manifest naming format, line and column", () => {
  const cases: [string, string | undefined, RegExp, number | undefined][] = [
    ['name = "a"\nbogus = [', undefined, /^not valid TOML at line 2, column \d+: /, 2],
    ['{\n  "name": "a",\n}', undefined, /^not valid JSON at line 3, column 1: /, 3],
    ['{"name":', undefined, /^not valid JSON at line 1, column 9: /, 1],
    // V8 gives no position for an unexpected token: the message says no line.
    ['name = "a"', "x.json", /^not valid JSON: Unexpected token/, undefined],
    ["{ a = 1 }", "x.toml", /^not valid TOML at line 1, column 1: /, 1],
  ];
  for (const [text, hint, message, line] of cases) {
    assert.throws(() => parseManifestText(text, { hint }), talonError("invalid_manifest", message));
    try {
      parseManifestText(text, { hint });
    } catch (error) {
      const details = (error as { details?: Record<string, unknown> }).details!;
      assert.equal(details.line, line, text);
      assert.equal(typeof details.column, line === undefined ? "undefined" : "number", text);
      assert.ok(!(error as Error).message.includes("\n"), "one line");
    }
  }
  assert.throws(
    () => parseManifestText("x = ", { source: "manifest a.toml" }),
    talonError("invalid_manifest", /^manifest a\.toml is not valid TOML/),
  );
});
