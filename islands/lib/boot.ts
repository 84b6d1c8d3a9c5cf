/**
 * The client boot script (bundled by `deno task build` to
 * `static/build/boot-<hash>.js`): hydrates every `<talon-island>` marker the
 * server rendered, loading each island's bundle from its `data-src` (only
 * same-origin files under `/static/build/`) and its props from `data-props`.
 * An island module may export `prepare()`, awaited before hydrating (e.g. to
 * load a renderer its first render needs, so it matches the server's HTML).
 * An island that fails to load keeps its server-rendered HTML, which works
 * without JavaScript.
 *
 * @module
 */
import { h, hydrate } from "preact";
import { decodeIslandProps } from "./island_props.ts";

const BUNDLE = /^\/static\/build\/[\w-]+\.js$/;

async function boot(element: HTMLElement): Promise<void> {
  const { island, src, props } = element.dataset;
  if (!src || !BUNDLE.test(src) || props === undefined) {
    throw new Error(`island ${island}: no bundle to load (src=${src})`);
  }
  const module = await import(src);
  await module.prepare?.();
  hydrate(h(module.default, decodeIslandProps(props)), element);
}

const markers = document.querySelectorAll<HTMLElement>("talon-island");
const results = await Promise.allSettled([...markers].map(boot));
for (const result of results) {
  if (result.status === "rejected") console.error("talon: island failed to hydrate", result.reason);
}
