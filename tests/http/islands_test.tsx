import assert from "node:assert/strict";
import type { JSX } from "preact";
import { Document } from "../../components/Document.tsx";
import { createAssets } from "../../http/assets.ts";
import { island, renderDocument } from "../../http/islands.tsx";
import { decodeIslandProps } from "../../islands/lib/island_props.ts";

const HOSTILE = "</script><script>alert(1)</script><!--\"'&<>";

function Echo(props: { text: string; items?: string[] }): JSX.Element {
  return <p class="echo">{props.text}</p>;
}
const EchoIsland = island("Echo", Echo);

const built = createAssets({
  BOOT: "/static/build/boot-abc.js",
  ISLANDS: { Echo: "/static/build/Echo-def.js" },
  CHUNKS: {
    "/static/build/boot-abc.js": ["/static/build/chunk-a.js"],
    "/static/build/Echo-def.js": ["/static/build/chunk-b.js", "/static/build/chunk-a.js"],
  },
  FILES: { "boot-abc.js": new Uint8Array(1), "Echo-def.js": new Uint8Array(1) },
});

function unescapeAttr(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

Deno.test("island() marks the island, records escaped props, and the page gets one nonce'd boot script", () => {
  const html = renderDocument(
    <Document title={HOSTILE}>
      <EchoIsland text={HOSTILE} items={[HOSTILE]} />
      <EchoIsland text="second" />
    </Document>,
    { nonce: "n0nce", assets: built },
  );
  assert.equal(html.match(/<script/g)?.length, 1, html);
  assert.match(
    html,
    /<script type="module" nonce="n0nce" src="\/static\/build\/boot-abc\.js"><\/script><\/body>/,
  );
  assert.ok(!html.includes("<script>alert"), "hostile text must not become a script");
  assert.ok(!html.includes("<!--"), "hostile text must not open a comment");
  const markers = [
    ...html.matchAll(/<talon-island data-island="Echo" data-src="([^"]*)" data-props="([^"]*)">/g),
  ];
  assert.equal(markers.length, 2);
  assert.equal(markers[0]![1], "/static/build/Echo-def.js");
  assert.deepEqual(decodeIslandProps(unescapeAttr(markers[0]![2]!)), {
    text: HOSTILE,
    items: [HOSTILE],
  });
  assert.match(
    html,
    /<p class="echo">&lt;\/script>&lt;script>alert\(1\)&lt;\/script>&lt;!--&quot;'&amp;&lt;></,
  );
});

Deno.test("a page with an island preloads its bundle and every chunk once, nonce'd, before the boot script", () => {
  const html = renderDocument(
    <Document title="x">
      <EchoIsland text="one" />
      <EchoIsland text="two" />
    </Document>,
    { nonce: "n0nce", assets: built },
  );
  const links = [...html.matchAll(/<link rel="modulepreload" nonce="n0nce" href="([^"]+)">/g)]
    .map((m) => m[1]);
  assert.deepEqual(links.sort(), [
    "/static/build/Echo-def.js",
    "/static/build/chunk-a.js",
    "/static/build/chunk-b.js",
  ]);
  assert.equal(html.match(/modulepreload/g)?.length, 3);
  assert.ok(html.indexOf("modulepreload") < html.indexOf("<script"), "links come first");
});

Deno.test("renderDocument() of a page without islands has no script tag", () => {
  const html = renderDocument(
    <Document title="Plain">
      <p>hi</p>
    </Document>,
    {
      nonce: "n0nce",
      assets: built,
    },
  );
  assert.ok(!html.includes("<script"), html);
  assert.ok(!html.includes("modulepreload"), html);
  assert.ok(html.startsWith('<!DOCTYPE html><html lang="en">'));
});

Deno.test("without built bundles an island renders server-side only, with no script", () => {
  const html = renderDocument(
    <Document title="x">
      <EchoIsland text="hi" />
    </Document>,
    {
      nonce: "n0nce",
      assets: createAssets(),
    },
  );
  assert.match(html, /<talon-island data-island="Echo" data-props=/);
  assert.match(html, /<p class="echo">hi<\/p>/);
  assert.ok(!html.includes("<script"));
});

Deno.test("island() refuses props it cannot serialize at render time, naming island and prop", () => {
  const Bad = island("Bad", (props: { when: unknown }) => <p>{String(props.when)}</p>);
  assert.throws(
    () => renderDocument(<Bad when={new Set([1])} />, { nonce: undefined, assets: built }),
    /island Bad: prop "when" is a Set/,
  );
});

Deno.test("island() outside renderDocument() is a TypeError", async () => {
  const { renderToString } = await import("preact-render-to-string");
  assert.throws(
    () => renderToString(<EchoIsland text="x" />),
    /island Echo was rendered outside renderDocument\(\)/,
  );
});

Deno.test("island() refuses an island nested in another island", () => {
  const Outer = island("Outer", () => <EchoIsland text="inner" />);
  assert.throws(
    () => renderDocument(<Outer />, { nonce: undefined, assets: built }),
    /island Echo is rendered inside island Outer; islands cannot nest/,
  );
});
