import assert from "node:assert/strict";

/**
 * npm packages `talon serve` imports statically (through any chain of static
 * imports from `cli/main.ts` and the serve command's module): what every start
 * pays for before doing anything. Adding one here is a decision; CommonJS
 * packages (`yaml`, `ipaddr.js`), page rendering (`preact`,
 * `preact-render-to-string`) and other heavy ones are imported with
 * `import()` on first use instead.
 */
const EAGER_NPM = [
  "canonicalize",
  // Schedules compute their next fire times at boot; ESM, ~4 MB and no CommonJS loader.
  "croner",
  "diff",
  "eventsource-parser",
  "hono",
  "smol-toml",
  "zod",
];

/**
 * Node built-ins on serve's boot path. `node:crypto` (~50 ms, ~3 MB: SHA-256
 * is kernel/security/sha256.ts, scrypt loads with the first token) and
 * `node:http`/`node:https`/`node:dns` (the SSRF guard's first fetch) are not.
 */
const EAGER_NODE = ["node:path", "node:sqlite"];

interface InfoModule {
  specifier: string;
  kind?: string;
  dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
}

/** What `roots` reach by static imports only. */
interface StaticGraph {
  /** npm package names. */
  npm: string[];
  /** `node:` built-ins. */
  node: string[];
  /** Project files, relative to the repository root. */
  local: string[];
}

const ROOT = new URL("../", import.meta.url);

async function staticGraph(...roots: string[]): Promise<StaticGraph> {
  if (roots.length === 1) return await walk(new URL(roots[0]!, ROOT).pathname);
  const entry = await entryOf(roots);
  try {
    return await walk(entry);
  } finally {
    await Deno.remove(entry);
  }
}

/** A temporary module that statically imports each of `roots`. */
async function entryOf(roots: string[]): Promise<string> {
  const path = await Deno.makeTempFile({ suffix: "_eager_entry.ts" });
  await Deno.writeTextFile(
    path,
    roots.map((r) => `import ${JSON.stringify(new URL(r, ROOT).href)};\n`).join(""),
  );
  return path;
}

async function walk(root: string): Promise<StaticGraph> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "--config", new URL("deno.json", ROOT).pathname, root],
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
  const node = new Set<string>();
  const local = new Set<string>();
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
    if (specifier.startsWith("node:")) {
      node.add(specifier);
      continue;
    }
    if (specifier.startsWith(ROOT.href) && specifier !== graph.roots[0]) {
      local.add(specifier.slice(ROOT.href.length));
    }
    for (const dep of modules.get(specifier)?.dependencies ?? []) {
      if (dep.isDynamic || !dep.code) continue;
      stack.push(graph.redirects?.[dep.code.specifier] ?? dep.code.specifier);
    }
  }
  return { npm: [...packages].sort(), node: [...node].sort(), local: [...local].sort() };
}

Deno.test("talon --version loads no npm package: main.ts statically imports only its version", async () => {
  const graph = await staticGraph("main.ts");
  assert.deepEqual(graph.npm, []);
  assert.deepEqual(graph.local, ["deno.json", "kernel/version.ts"]);
});

Deno.test("talon --help loads no command module, no kernel but its errors and version, no package", async () => {
  const graph = await staticGraph("cli/main.ts");
  assert.deepEqual(graph.npm, []);
  assert.deepEqual(graph.node, []);
  assert.deepEqual(graph.local, [
    "cli/command_index.ts",
    "cli/io.ts",
    "deno.json",
    "kernel/errors.ts",
    "kernel/version.ts",
  ]);
});

Deno.test("talon serve statically imports only the recorded packages and built-ins (lazy ones stay lazy)", async () => {
  const graph = await staticGraph("cli/main.ts", "cli/commands/serve.ts");
  const unexpected = graph.npm.filter((p) => !EAGER_NPM.includes(p));
  assert.deepEqual(
    unexpected,
    [],
    `new npm packages on the start-up path: ${
      unexpected.join(", ")
    }; import them with import() where first used, or record them in EAGER_NPM`,
  );
  assert.deepEqual(
    graph.node.filter((n) => !EAGER_NODE.includes(n)),
    [],
    "new node: built-ins on the start-up path; import them where first used, or record them",
  );
  assert.ok(!graph.npm.includes("ipaddr.js"), "ipaddr.js loads on the first guarded fetch");
  assert.ok(!graph.npm.includes("yaml"), "yaml loads for the first installed skill");
  const pages = graph.local.filter((f) =>
    /^components\/|^islands\/(?!lib\/api_fetch\.ts$)/.test(f) || /^routes\/.*\.tsx$/.test(f) ||
    f === "http/page.tsx"
  );
  assert.deepEqual(pages, [], "pages and their rendering load on the first page request");
  const commands = graph.local.filter((f) =>
    f.startsWith("cli/commands/") && !/\/(serve|command)\.ts$/.test(f)
  );
  assert.deepEqual(commands, [], "serve loads no other command's module");
});
