/**
 * JavaScript bytes per page: for each page route, the islands it can render
 * (found by reading the route and the components it imports for islands taken
 * from `http/islands.gen.ts`), then the boot script plus every built file
 * those islands load, transitively (scripts/bundle_graph.ts), summed —
 * minified as served, and gzipped for reference. Reports, never asserts.
 * Needs `deno task build` first. `deno run --allow-read bench/page_bytes.ts`
 *
 * @module
 */
import { importClosure, staticImports } from "../scripts/bundle_graph.ts";
import { listRoutes } from "../scripts/route_manifest.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const BUILD = `${ROOT}static/build`;

interface Bundles {
  BOOT: string;
  ISLANDS: Record<string, string>;
  FILES: Record<string, Uint8Array>;
}

/** One page's JavaScript. */
export interface PageBytes {
  pattern: string;
  islands: string[];
  files: string[];
  bytes: number;
  gzip: number;
}

const IMPORT = /import\s+(type\s+)?\{([^}]*)\}\s*from\s*"([^"]+)"|from\s*"(\.[^"]+)"/g;

/** Islands a source file (and the route/component files it imports) renders. */
async function islandsOf(file: string, seen = new Set<string>()): Promise<Set<string>> {
  const found = new Set<string>();
  if (seen.has(file)) return found;
  seen.add(file);
  const source = await Deno.readTextFile(file);
  for (const m of source.matchAll(IMPORT)) {
    const specifier = m[3] ?? m[4];
    if (!specifier.startsWith(".")) continue;
    const target = new URL(specifier, `file://${file}`).pathname;
    if (target === `${ROOT}http/islands.gen.ts`) {
      if (m[1]) continue;
      for (const name of m[2].split(",")) if (name.trim()) found.add(name.trim());
    } else if (/^(routes|components)\//.test(target.slice(ROOT.length))) {
      for (const name of await islandsOf(target, seen)) found.add(name);
    }
  }
  return found;
}

async function gzipSize(bytes: Uint8Array): Promise<number> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(new CompressionStream("gzip"));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

/** Bytes of JavaScript each page route loads, from the built bundles. */
export async function measurePages(bundles: Bundles): Promise<PageBytes[]> {
  const base = (url: string) => url.slice(url.lastIndexOf("/") + 1);
  const imports = (file: string) => {
    const body = bundles.FILES[file];
    return body && staticImports(new TextDecoder().decode(body));
  };
  const pages: PageBytes[] = [];
  for (const route of await listRoutes(`${ROOT}routes`)) {
    if (!route.file.endsWith(".tsx")) continue;
    const islands = [...await islandsOf(`${ROOT}routes/${route.file}`)].sort();
    const files = new Set<string>();
    if (islands.length > 0) {
      for (const entry of [base(bundles.BOOT), ...islands.map((n) => base(bundles.ISLANDS[n]))]) {
        files.add(entry);
        for (const dep of importClosure(entry, imports)) files.add(dep);
      }
    }
    let bytes = 0;
    let gzip = 0;
    for (const file of files) {
      bytes += bundles.FILES[file].byteLength;
      gzip += await gzipSize(bundles.FILES[file]);
    }
    pages.push({ pattern: route.pattern, islands, files: [...files], bytes, gzip });
  }
  return pages;
}

const kb = (n: number) => `${(n / 1000).toFixed(1)} KB`;

if (import.meta.main) {
  let bundles: Bundles;
  try {
    bundles = await import(`${BUILD}/bundles.gen.ts`);
  } catch (e) {
    if (!(e instanceof TypeError) || !/Module not found/.test(e.message)) throw e;
    console.error("page_bytes: static/build is missing: run `deno task build` first");
    Deno.exit(1);
  }
  console.log("JavaScript per page (boot + island bundles + their chunks, transitively)\n");
  console.log("| page | islands | files | minified | gzip |");
  console.log("| --- | --- | ---: | ---: | ---: |");
  for (const page of await measurePages(bundles)) {
    console.log(
      `| \`${page.pattern}\` | ${page.islands.join(", ") || "—"} | ${page.files.length} | ${
        kb(page.bytes)
      } | ${kb(page.gzip)} |`,
    );
  }
}
