import assert from "node:assert/strict";

/**
 * npm packages the CLI (`cli/main.ts`, which `main.ts` imports for every
 * command but a bare `--version`) imports statically (through any chain of
 * static imports): what every `talon serve` start pays for before doing anything. Adding
 * one here is a decision; CommonJS packages (`yaml`, `ipaddr.js`) and other
 * heavy ones are imported with `import()` on first use instead.
 */
const EAGER_NPM = [
  "@preact/signals",
  "canonicalize",
  // Schedules compute their next fire times at boot; ESM, ~4 MB and no CommonJS loader.
  "croner",
  "diff",
  "eventsource-parser",
  "hono",
  "preact",
  "preact-render-to-string",
  "smol-toml",
  "yaml",
  "zod",
];

interface InfoModule {
  specifier: string;
  kind?: string;
  dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
}

/** Package names reached from `root` by static imports only. */
async function staticNpmPackages(root: string): Promise<string[]> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", root],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  assert.equal(output.code, 0, "deno info ran");
  const graph = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    roots: string[];
    modules: InfoModule[];
    redirects?: Record<string, string>;
  };
  const modules = new Map(graph.modules.map((m) => [m.specifier, m]));
  const packages = new Set<string>();
  const seen = new Set<string>();
  const stack = [...graph.roots];
  while (stack.length > 0) {
    const specifier = stack.pop()!;
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    const npm = /^npm:\/?((?:@[^/]+\/)?[^@/]+)/.exec(specifier);
    if (npm) {
      packages.add(npm[1]!);
      continue;
    }
    for (const dep of modules.get(specifier)?.dependencies ?? []) {
      if (dep.isDynamic || !dep.code) continue;
      stack.push(graph.redirects?.[dep.code.specifier] ?? dep.code.specifier);
    }
  }
  return [...packages].sort();
}

Deno.test("talon --version loads no npm package: main.ts statically imports only its version", async () => {
  const main = new URL("../main.ts", import.meta.url).pathname;
  assert.deepEqual(await staticNpmPackages(main), []);
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", main],
    stdout: "piped",
  }).output();
  const graph = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    roots: string[];
    modules: InfoModule[];
  };
  const local = graph.modules.find((m) => m.specifier === graph.roots[0])!;
  assert.deepEqual(
    (local.dependencies ?? []).filter((d) => !d.isDynamic).map((d) =>
      d.code?.specifier.replace(/^.*\/(kernel|cli)\//, "$1/")
    ),
    ["kernel/version.ts"],
  );
});

Deno.test("the CLI statically imports only the recorded npm packages (lazy ones stay lazy)", async () => {
  const main = new URL("../cli/main.ts", import.meta.url).pathname;
  const eager = await staticNpmPackages(main);
  const unexpected = eager.filter((p) => !EAGER_NPM.includes(p));
  assert.deepEqual(
    unexpected,
    [],
    `new npm packages on the start-up path: ${
      unexpected.join(", ")
    }; import them with import() where first used, or record them in EAGER_NPM`,
  );
  assert.ok(!eager.includes("ipaddr.js"), "ipaddr.js loads on the first guarded fetch");
});
