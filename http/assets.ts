/**
 * Static assets: the stylesheet, the icon and the built client bundles,
 * served from memory under `/static/` with content-hashed names and
 * `cache-control: immutable`. Nothing is read from the source tree at run
 * time (DESIGN.md, "Assets and permissions"):
 *
 * - `static/talon.css` and `static/talon.svg` are imported as text;
 * - `deno task build` bundles the islands into `static/build/` (git-ignored)
 *   and writes `static/build/bundles.gen.ts`, which imports every bundle as
 *   bytes. {@link loadAssets} imports that module with a literal dynamic
 *   import, so `deno compile` embeds it when it exists and a checkout that was
 *   never built still serves every page, server-rendered, without scripts.
 *
 * @module
 */
import { sha256Hex } from "../kernel/mod.ts";
import css from "../static/talon.css" with { type: "text" };
import icon from "../static/talon.svg" with { type: "text" };

/** One file served under `/static/`. */
export interface StaticFile {
  body: Uint8Array<ArrayBuffer>;
  type: string;
}

/** What pages link to and what `/static/` serves. */
export interface Assets {
  /** URL of the stylesheet. */
  stylesheet: string;
  /** URL of the icon. */
  icon: string;
  /** URL of the client boot script, when bundles are built. */
  boot: string | undefined;
  /** Bundle URL of each island by name, when built. */
  islands: Record<string, string>;
  /** URLs each bundle (boot, islands) imports, transitively: what a page preloads. */
  chunks: Record<string, string[]>;
  /** Files by name under `/static/`. */
  files: Map<string, StaticFile>;
}

/** What `static/build/bundles.gen.ts` exports. */
export interface BuiltBundles {
  BOOT: string;
  ISLANDS: Record<string, string>;
  CHUNKS: Record<string, string[]>;
  FILES: Record<string, Uint8Array<ArrayBuffer>>;
}

const encoder = new TextEncoder();

function hashed(name: string, ext: string, text: string): [string, Uint8Array<ArrayBuffer>] {
  const digest = sha256Hex(text);
  return [`${name}-${digest.slice(0, 12)}.${ext}`, encoder.encode(text)];
}

/** Assets from the stylesheet, the icon and (when given) built bundles. */
export function createAssets(bundles?: BuiltBundles): Assets {
  const files = new Map<string, StaticFile>();
  const [cssName, cssBody] = hashed("talon", "css", css);
  const [iconName, iconBody] = hashed("talon", "svg", icon);
  files.set(cssName, { body: cssBody, type: "text/css; charset=utf-8" });
  files.set(iconName, { body: iconBody, type: "image/svg+xml" });
  for (const [name, body] of Object.entries(bundles?.FILES ?? {})) {
    files.set(`build/${name}`, { body, type: "text/javascript; charset=utf-8" });
  }
  return {
    stylesheet: `/static/${cssName}`,
    icon: `/static/${iconName}`,
    boot: bundles?.BOOT,
    islands: bundles?.ISLANDS ?? {},
    chunks: bundles?.CHUNKS ?? {},
    files,
  };
}

/**
 * True when `error` says the bundles module itself does not exist. Deno
 * reports a module's syntax error or a missing dependency with the same
 * `ERR_MODULE_NOT_FOUND` code, so the message must name the module.
 */
function isBundlesMissing(error: unknown): boolean {
  if (!(error instanceof TypeError)) return false;
  const missing = /^Module not found "([^"]+)"/.exec(error.message)?.[1];
  return missing !== undefined && missing.endsWith("/bundles.gen.ts");
}

/**
 * Loads the assets with the built bundles, or without them (and says how to
 * build) when `deno task build` has not run. Any other failure to load the
 * bundles (a broken or partial build, a permission error) is thrown.
 */
export async function loadAssets(
  warn: (message: string) => void,
  options: { importBundles?: () => Promise<BuiltBundles> } = {},
): Promise<Assets> {
  const importBundles = options.importBundles ??
    (() => import("../static/build/bundles.gen.ts") as Promise<BuiltBundles>);
  let bundles: BuiltBundles | undefined;
  try {
    bundles = await importBundles();
  } catch (error) {
    if (!isBundlesMissing(error)) throw error;
    warn(
      "client bundles are not built: pages are served without interactive islands; run `deno task build` and restart",
    );
  }
  return createAssets(bundles);
}
