import assert from "node:assert/strict";
import { importClosure, staticImports } from "../../scripts/bundle_graph.ts";

Deno.test("staticImports() reads the leading import and re-export statements of a minified module", () => {
  const source =
    'import{a as b}from"./chunk-A.js";import"./chunk-B.js";export*from"./chunk-C.js";' +
    'export{x as y}from "./chunk-D.js";import{h}from"preact";var s="import\\"./chunk-E.js\\"";';
  assert.deepEqual(staticImports(source), ["chunk-A.js", "chunk-B.js", "chunk-C.js", "chunk-D.js"]);
});

Deno.test("staticImports() ignores imports written in code and strings after the first statement", () => {
  assert.deepEqual(staticImports('var a=1;import("./lazy.js");let t=\'from"./chunk-X.js"\';'), []);
  assert.deepEqual(staticImports(""), []);
});

Deno.test("importClosure() walks shared chunks once, entry excluded, and survives cycles", () => {
  const graph: Record<string, string[]> = {
    "Island.js": ["chunk-A.js", "chunk-B.js"],
    "chunk-A.js": ["chunk-B.js"],
    "chunk-B.js": ["chunk-A.js"],
  };
  assert.deepEqual(importClosure("Island.js", (f) => graph[f]), ["chunk-A.js", "chunk-B.js"]);
});

Deno.test("importClosure() refuses a file that was imported but not built, naming it", () => {
  assert.throws(
    () => importClosure("Island.js", (f) => (f === "Island.js" ? ["chunk-gone.js"] : undefined)),
    { name: "TypeError", message: /chunk-gone\.js/ },
  );
});
