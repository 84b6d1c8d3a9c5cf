/**
 * Builds the AssemblyScript plugins (`<dir>/assembly/index.ts` under
 * `skills/` and `tests/`) into fuel-instrumented `<dir>/plugin.wasm`, and
 * records the hash of their sources in `<dir>/plugin.build.json`. A plugin
 * whose sources (and the toolchain) still match that hash is not rebuilt, so
 * `deno task build` stays fast and offline on a clean clone. A rebuild
 * installs the compiler into a cache folder outside the repo (never a
 * package.json or node_modules in the repo: see DESIGN.md), compiles with
 * Node, instruments with `binaryen`, and updates the `sha256` in the
 * plugin's SKILL.md.
 *
 * @module
 */
import { createHash } from "node:crypto";

/** Exact versions of the compiler and PDK; part of every source hash. */
export const TOOLCHAIN = {
  assemblyscript: "0.28.20",
  "@extism/as-pdk": "1.0.0",
  fuel: "log-execution/1",
} as const;

const ASC_FLAGS = ["-O3", "--runtime", "incremental", "--use", "abort=assembly/index/abortPlugin"];

/** What one plugin build did. */
export interface PluginBuild {
  dir: string;
  rebuilt: boolean;
}

/** Builds every plugin under `roots` (relative to `repo`) whose sources changed. */
export async function buildPlugins(
  repo: URL,
  options: { roots?: string[]; sharedLib?: string; force?: boolean } = {},
): Promise<PluginBuild[]> {
  const roots = options.roots ?? ["skills", "tests"];
  const shared = options.sharedLib ?? "skills/_lib";
  const dirs: string[] = [];
  for (const root of roots) await findPlugins(new URL(`${root}/`, repo).pathname, dirs);
  const sharedFiles = await sourceFiles(new URL(`${shared}/`, repo).pathname);
  const builds: PluginBuild[] = [];
  for (const dir of dirs.sort()) {
    const hash = sourceHash([...(await sourceFiles(`${dir}/assembly`)), ...sharedFiles]);
    const record = await readRecord(dir);
    const current = record?.source_sha256 === hash && await exists(`${dir}/plugin.wasm`);
    if (current && !options.force) {
      builds.push({ dir, rebuilt: false });
      continue;
    }
    // The sandbox (and binaryen with it) loads only when something is rebuilt.
    const { instrumentFuel } = await import("../kernel/sandbox/mod.ts");
    const wasm = await instrumentFuel(await compile(dir));
    await Deno.writeFile(`${dir}/plugin.wasm`, wasm);
    const wasmSha = createHash("sha256").update(wasm).digest("hex");
    await Deno.writeTextFile(
      `${dir}/plugin.build.json`,
      JSON.stringify({ source_sha256: hash, wasm_sha256: wasmSha, toolchain: TOOLCHAIN }, null, 2) +
        "\n",
    );
    if (await exists(`${dir}/SKILL.md`)) {
      const md = await Deno.readTextFile(`${dir}/SKILL.md`);
      await Deno.writeTextFile(`${dir}/SKILL.md`, withSha256(md, wasmSha));
    }
    builds.push({ dir, rebuilt: true });
  }
  return builds;
}

/** `md` with its front matter's `sha256` line set (kernel/skills does the same at install). */
function withSha256(md: string, sha256: string): string {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(md);
  if (!match) throw new Error("SKILL.md has no front matter");
  const lines = match[1]!.split("\n").filter((l) => !/^sha256\s*:/.test(l));
  return `---\n${[...lines, `sha256: "${sha256}"`].join("\n")}\n---\n${md.slice(match[0].length)}`;
}

async function findPlugins(dir: string, out: string[]): Promise<void> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  if (entries.some((e) => e.name === "assembly" && e.isDirectory)) {
    if (await exists(`${dir}assembly/index.ts`)) out.push(dir.replace(/\/$/, ""));
    return;
  }
  for (const e of entries) {
    if (e.isDirectory && e.name !== "node_modules" && !e.name.startsWith(".")) {
      await findPlugins(`${dir}${e.name}/`, out);
    }
  }
}

async function sourceFiles(dir: string): Promise<{ name: string; text: string }[]> {
  const files: { name: string; text: string }[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile && e.name.endsWith(".ts")) {
      files.push({ name: e.name, text: await Deno.readTextFile(`${dir}/${e.name}`) });
    }
  }
  return files.sort((a, b) => (a.name < b.name ? -1 : 1));
}

function sourceHash(files: { name: string; text: string }[]): string {
  const text = JSON.stringify({ toolchain: TOOLCHAIN, flags: ASC_FLAGS, files });
  return createHash("sha256").update(text).digest("hex");
}

async function readRecord(dir: string): Promise<{ source_sha256?: string } | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(`${dir}/plugin.build.json`));
  } catch {
    return undefined;
  }
}

/** The compiler's folder outside the repo: `$TALON_WASM_BUILD_DIR` or `~/.cache/talon/wasm-build`. */
function toolchainDir(): string {
  return Deno.env.get("TALON_WASM_BUILD_DIR") ??
    `${Deno.env.get("HOME") ?? "/tmp"}/.cache/talon/wasm-build`;
}

async function ensureToolchain(): Promise<string> {
  const dir = toolchainDir();
  const asc = `${dir}/node_modules/assemblyscript/bin/asc.js`;
  const installed = await readRecord(dir) as Record<string, unknown> | undefined;
  if (await exists(asc) && JSON.stringify(installed?.toolchain) === JSON.stringify(TOOLCHAIN)) {
    return dir;
  }
  await Deno.mkdir(dir, { recursive: true });
  console.log(`build: installing the AssemblyScript toolchain into ${dir}`);
  await run("npm", [
    "install",
    "--prefix",
    dir,
    "--no-audit",
    "--no-fund",
    "--loglevel=error",
    `assemblyscript@${TOOLCHAIN.assemblyscript}`,
    `@extism/as-pdk@${TOOLCHAIN["@extism/as-pdk"]}`,
  ], dir);
  await Deno.writeTextFile(`${dir}/plugin.build.json`, JSON.stringify({ toolchain: TOOLCHAIN }));
  return dir;
}

async function compile(dir: string): Promise<Uint8Array> {
  const toolchain = await ensureToolchain();
  const out = `${toolchain}/out-${crypto.randomUUID()}.wasm`;
  try {
    await run("node", [
      `${toolchain}/node_modules/assemblyscript/bin/asc.js`,
      "assembly/index.ts",
      "--path",
      `${toolchain}/node_modules`,
      "--outFile",
      out,
      ...ASC_FLAGS,
    ], dir);
    console.log(`build: compiled ${dir}/assembly`);
    return await Deno.readFile(out);
  } finally {
    await Deno.remove(out).catch(() => {});
  }
}

async function run(cmd: string, args: string[], cwd: string): Promise<void> {
  const { code, stdout, stderr } = await new Deno.Command(cmd, { args, cwd }).output();
  if (code !== 0) {
    const text = new TextDecoder().decode(stderr) + new TextDecoder().decode(stdout);
    throw new Error(`${cmd} ${args.slice(0, 2).join(" ")} failed in ${cwd}:\n${text}`);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
