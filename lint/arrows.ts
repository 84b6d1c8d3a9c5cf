/**
 * A `deno lint` plugin that keeps Talon's import arrows pointing one way:
 * - `kernel/` never imports routes, islands, components, http, cli, main.ts,
 *   Hono or Preact;
 * - outside a kernel folder, only that folder's `mod.ts` may be imported;
 * - `_private.ts` files are imported only from their own folder;
 * - islands import from the kernel only types from `kernel/types.ts` (`import
 *   type`: every schema, so a value import would ship all of classic zod),
 *   the zod-free modules in {@link BROWSER_SAFE} (`kernel/vocabulary.ts`,
 *   `kernel/format.ts`) and the schema modules in {@link ISLAND_SCHEMAS}
 *   (written with `zod/mini`, so a form ships only its own schemas), and no
 *   server code (components/ included);
 * - the {@link BROWSER_SAFE} modules import nothing but each other: no
 *   package, no other kernel module — so importing one never ships zod;
 * - the {@link ISLAND_SCHEMAS} import only `zod/mini`, `zod/locales`, each
 *   other and the {@link BROWSER_SAFE} modules;
 * - an island component (`islands/<Name>.tsx`) is imported from outside
 *   islands/ only through `http/islands.gen.ts`, which wraps it for hydration;
 * - the CLI (cli/, main.ts) imports from islands/ only the one API client,
 *   `islands/lib/api_fetch.ts`, which islands share with it; that module imports
 *   nothing but `kernel/types.ts` (types), so it stays browser- and CLI-safe.
 *
 * Tests and benchmarks are exempt: unit tests reach into modules on purpose.
 *
 * @module
 */

const ROOT = new URL("../", import.meta.url).pathname;

function relative(path: string): string | undefined {
  return path.startsWith(ROOT) ? path.slice(ROOT.length) : undefined;
}

function resolveImport(fromFile: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  return relative(new URL(specifier, `file://${fromFile}`).pathname);
}

function dirOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

/** Zod-free kernel modules islands may import besides `kernel/types.ts`. */
export const BROWSER_SAFE: readonly string[] = ["kernel/vocabulary.ts", "kernel/format.ts"];

/**
 * Schema modules islands import directly (outside the mod.ts rule), written
 * with `zod/mini` (or zod-free, like role.ts): the wire shapes forms check
 * before they submit. The server reaches them through `kernel/types.ts`.
 */
export const ISLAND_SCHEMAS: readonly string[] = [
  "kernel/schemas/mini.ts",
  "kernel/schemas/role.ts",
  "kernel/schemas/agent_manifest.ts",
  "kernel/schemas/schedule_input.ts",
  "kernel/schemas/budget_patch.ts",
  "kernel/schemas/token.ts",
  "kernel/schemas/auth.ts",
  "kernel/schemas/message_body.ts",
  "kernel/schemas/hand_input.ts",
  "kernel/schemas/mcp_input.ts",
];

const ISLAND_KERNEL: readonly string[] = ["kernel/types.ts", ...BROWSER_SAFE, ...ISLAND_SCHEMAS];
const MINI_PACKAGES = /^zod\/(mini|locales)$/;

const SERVER_ONLY = /^(routes|islands|components|http|cli)\/|^main\.ts$/;
/** The API client shared by islands and the CLI. */
export const API_CLIENT = "islands/lib/api_fetch.ts";
const UI_PACKAGES = /^(hono|preact|@preact\/|preact-render-to-string)/;

/**
 * Why importing `target` (a project path or bare specifier) from `file`
 * breaks an arrow; `typeOnly` when the import brings only types.
 */
export function arrowViolation(
  file: string,
  specifier: string,
  target: string | undefined,
  options: { typeOnly?: boolean } = {},
): string | undefined {
  // Unit tests and benchmarks reach into modules on purpose.
  if (/^(tests|bench)\//.test(file)) return undefined;
  if (file.startsWith("kernel/")) {
    if (target && SERVER_ONLY.test(target)) {
      return `kernel/ must not import ${target}: arrows point routes/islands/cli → kernel`;
    }
    if (!target && UI_PACKAGES.test(specifier)) {
      return `kernel/ must not import ${specifier}: the kernel never sees a Request or Preact`;
    }
  }
  if (target) {
    const base = target.slice(target.lastIndexOf("/") + 1);
    if (base.startsWith("_") && dirOf(target) !== dirOf(file)) {
      return `${target} is private to ${dirOf(target)}/; import its mod.ts instead`;
    }
    const folder = /^kernel\/([^/]+)\/.+/.exec(target);
    const islandSchema = file.startsWith("islands/") && ISLAND_SCHEMAS.includes(target);
    if (folder && !file.startsWith(`kernel/${folder[1]}/`) && base !== "mod.ts" && !islandSchema) {
      return `import kernel/${
        folder[1]
      }/mod.ts, not ${target}: each kernel folder is reached only through its mod.ts`;
    }
  }
  if (BROWSER_SAFE.includes(file) && !(target && BROWSER_SAFE.includes(target))) {
    return `${file} is imported by islands and must stay zod-free: it may import only ${
      BROWSER_SAFE.join(", ")
    }, not ${target ?? specifier}`;
  }
  if (
    ISLAND_SCHEMAS.includes(file) &&
    !(target
      ? ISLAND_KERNEL.includes(target) && target !== "kernel/types.ts"
      : MINI_PACKAGES.test(specifier))
  ) {
    return `${file} is shipped by islands: it may import only zod/mini, zod/locales, ${
      [...ISLAND_SCHEMAS, ...BROWSER_SAFE].join(", ")
    }, not ${target ?? specifier}`;
  }
  if (file === API_CLIENT && (target ? target !== "kernel/types.ts" : true)) {
    return `${API_CLIENT} is shared by islands and the CLI: it imports only kernel/types.ts, not ${specifier}`;
  }
  if (/^cli\/|^main\.ts$/.test(file) && target?.startsWith("islands/") && target !== API_CLIENT) {
    return `the CLI may import only ${API_CLIENT} from islands/, not ${target}`;
  }
  if (file.startsWith("islands/")) {
    if (target?.startsWith("kernel/") && !ISLAND_KERNEL.includes(target)) {
      return `islands may import from the kernel only ${ISLAND_KERNEL.join(", ")}, not ${target}`;
    }
    if (target === "kernel/types.ts" && !options.typeOnly) {
      return `islands import only types from kernel/types.ts (\`import type\`): a value from it ships every schema and all of zod; import the schema from ${
        ISLAND_SCHEMAS.join(", ")
      } or the constant from ${BROWSER_SAFE.join(", ")}`;
    }
    if (target && /^(routes|http|cli|components)\/|^main\.ts$/.test(target)) {
      return `islands run in the browser and must not import server code (${target})`;
    }
  } else if (target && /^islands\/[A-Z]\w*\.tsx$/.test(target)) {
    const name = target.slice("islands/".length, -".tsx".length);
    return `import the island ${name} from http/islands.gen.ts, not ${target}: only the wrapped island hydrates`;
  }
  return undefined;
}

const plugin: Deno.lint.Plugin = {
  name: "talon",
  rules: {
    "import-arrows": {
      create(context) {
        const file = relative(context.filename);
        const check = (node: Deno.lint.Node, specifier: string, typeOnly: boolean) => {
          if (!file) return;
          const message = arrowViolation(
            file,
            specifier,
            resolveImport(context.filename, specifier),
            { typeOnly },
          );
          if (message) context.report({ node, message });
        };
        return {
          ImportDeclaration(node) {
            const typeOnly = node.importKind === "type" || (node.specifiers.length > 0 &&
              node.specifiers.every((s) =>
                s.type === "ImportSpecifier" && s.importKind === "type"
              ));
            check(node, node.source.value, typeOnly);
          },
          ExportNamedDeclaration(node) {
            const typeOnly = node.exportKind === "type" || (node.specifiers.length > 0 &&
              node.specifiers.every((s) => s.exportKind === "type"));
            if (node.source) check(node, node.source.value, typeOnly);
          },
          ExportAllDeclaration(node) {
            check(node, node.source.value, node.exportKind === "type");
          },
        };
      },
    },
  },
};

export default plugin;
