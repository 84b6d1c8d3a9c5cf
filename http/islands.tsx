/**
 * The islands layer — Fresh's model, small and explicit.
 *
 * An island is a Preact component in `islands/<Name>.tsx` (default export).
 * `deno task build` lists them in `http/islands.gen.ts`, which wraps each one
 * with {@link island}; pages import the wrapped component from there:
 *
 * ```tsx
 * import { LoginForm } from "../http/islands.gen.ts";
 * <LoginForm next="/agents" />
 * ```
 *
 * At render time the wrapper encodes the props (islands/lib/island_props.ts:
 * refused unless strings, numbers, booleans, null, arrays, plain objects or
 * Dates, naming the island and prop) and emits
 * `<talon-island data-island="Name" data-src="/static/build/Name-<hash>.js"
 * data-props="…">…server HTML…</talon-island>`; the renderer escapes every
 * attribute and text. {@link BootScript} (last in `<body>`, see
 * components/Document.tsx) then adds the one nonce'd module script that
 * hydrates every marker (islands/lib/boot.ts) — only on pages that rendered an
 * island and only when bundles are built — preceded by a nonce'd
 * `<link rel="modulepreload">` for each file the page's islands and the boot
 * script load (the bundle step lists them, `Assets.chunks`), so the browser
 * fetches them all at once instead of one import level at a time. Pages without islands ship no
 * JavaScript. Islands do not nest (refused at render time): inside an
 * island, use other components directly.
 *
 * A rider ({@link RIDERS}, e.g. the nav's pending approvals count) renders
 * its marker like any island but does not by itself make a page load
 * JavaScript: it hydrates only on pages that boot for another island, and
 * elsewhere stays the server's HTML.
 *
 * @module
 */
import { createContext, type FunctionComponent, h, type JSX } from "preact";
import { useContext } from "preact/hooks";
import { renderToString } from "preact-render-to-string";
import { encodeIslandProps } from "../islands/lib/island_props.ts";
import type { Assets } from "./assets.ts";

/** Per-request render state: the CSP nonce, the assets, the islands used so far. */
export interface RenderState {
  nonce: string | undefined;
  assets: Assets;
  islands: Set<string>;
  /** Riders rendered so far: hydrated only when `islands` is not empty. */
  riders: Set<string>;
}

/** Islands rendered on every page that hydrate only where another island boots the page. */
export const RIDERS: ReadonlySet<string> = new Set(["PendingCount"]);

const RenderContext = createContext<RenderState | undefined>(undefined);
/** The island being rendered, if any: islands cannot nest. */
const EnclosingIsland = createContext<string | undefined>(undefined);

function renderState(what: string): RenderState {
  const state = useContext(RenderContext);
  if (!state) throw new TypeError(`${what} was rendered outside renderDocument()`);
  return state;
}

/** The current render's assets (for stylesheet and icon links). */
export function useAssets(): Assets {
  return renderState("useAssets()").assets;
}

/** Wraps an island component so it renders with its hydration marker. */
export function island<P extends object>(
  name: string,
  Component: FunctionComponent<P>,
): FunctionComponent<P> {
  const Wrapped: FunctionComponent<P> = (props) => {
    const state = renderState(`island ${name}`);
    const outer = useContext(EnclosingIsland);
    if (outer) {
      throw new TypeError(
        `island ${name} is rendered inside island ${outer}; islands cannot nest — render ${name} from the page, or import its component inside ${outer} directly`,
      );
    }
    const data = encodeIslandProps(name, props as Record<string, unknown>);
    (RIDERS.has(name) ? state.riders : state.islands).add(name);
    return h(
      "talon-island",
      { "data-island": name, "data-src": state.assets.islands[name], "data-props": data },
      h(EnclosingIsland.Provider, { value: name }, h(Component, props)),
    );
  };
  Wrapped.displayName = `Island(${name})`;
  return Wrapped;
}

/** URLs to preload for a page that rendered `islands`: their bundles and everything those and the boot script import. */
export function preloadsOf(assets: Assets, islands: Iterable<string>): string[] {
  const urls = new Set<string>(assets.boot ? assets.chunks[assets.boot] ?? [] : []);
  for (const name of islands) {
    const src = assets.islands[name];
    if (!src) continue;
    urls.add(src);
    for (const url of assets.chunks[src] ?? []) urls.add(url);
  }
  return [...urls];
}

/**
 * The page's one module script with its modulepreload links, when it rendered
 * an island and bundles are built. Render it last in `<body>`: it sees the
 * islands rendered before it.
 */
export function BootScript(): JSX.Element | null {
  const state = renderState("BootScript");
  if (state.islands.size === 0 || !state.assets.boot) return null;
  return (
    <>
      {preloadsOf(state.assets, [...state.islands, ...state.riders]).map((href) => (
        <link rel="modulepreload" nonce={state.nonce} href={href} />
      ))}
      <script type="module" nonce={state.nonce} src={state.assets.boot} />
    </>
  );
}

/** Renders a whole HTML document with `<!DOCTYPE html>`. */
export function renderDocument(
  vnode: JSX.Element,
  options: { nonce: string | undefined; assets: Assets },
): string {
  const state: RenderState = { ...options, islands: new Set(), riders: new Set() };
  return "<!DOCTYPE html>" +
    renderToString(<RenderContext.Provider value={state}>{vnode}</RenderContext.Provider>);
}
