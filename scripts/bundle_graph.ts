/**
 * The static import graph of the built client bundles: which files a module
 * of `static/build/` loads before it runs. `deno bundle` (esbuild) hoists a
 * module's static imports to its start, so only the leading `import …` /
 * `export … from` statements are read; code after them is never scanned.
 * Used by the bundle step (the chunks each island needs, for
 * `<link rel="modulepreload">`) and by `bench/page_bytes.ts`.
 *
 * @module
 */

const LEADING =
  /^\s*(?:import\s*(?:[^"'`;]*?\bfrom\s*)?|export\s*(?:\*|\{[^}]*\})\s*from\s*)(["'])(.+?)\1\s*;?/;

/** The relative specifiers a minified ES module imports statically (its leading statements). */
export function staticImports(source: string): string[] {
  const found: string[] = [];
  let rest = source;
  for (let m = LEADING.exec(rest); m; m = LEADING.exec(rest)) {
    if (m[2].startsWith("./")) found.push(m[2].slice(2));
    rest = rest.slice(m[0].length);
  }
  return found;
}

/**
 * Every file `entry` loads, transitively, entry excluded, in first-seen order.
 * `imports` gives a file's static imports; a missing file is a TypeError.
 */
export function importClosure(
  entry: string,
  imports: (file: string) => string[] | undefined,
): string[] {
  const seen = new Set<string>([entry]);
  const order: string[] = [];
  const walk = (file: string): void => {
    const deps = imports(file);
    if (!deps) throw new TypeError(`bundle ${file} is imported but was not built`);
    for (const dep of deps) {
      if (seen.has(dep)) continue;
      seen.add(dep);
      order.push(dep);
      walk(dep);
    }
  };
  walk(entry);
  return order;
}
