import assert from "node:assert/strict";
import { bootQuiet, serveDataDir, talon } from "./cli_fixtures.ts";

/** [manifest file text or flags, exit code, the paths the error line names]. */
const CASES: [string | string[], number, string][] = [
  [["--name", "Bad Name"], 2, "(field name)"],
  [
    'name = "x"\nflavour = "mint"\n[resources]\nmax_iterations = 0\n',
    2,
    "(fields resources.max_iterations, flavour)",
  ],
  ['name = "x"\ncapabilities = ["file_read", "root"]\n', 2, "(field capabilities.1)"],
  ['name = "x"\ntools = ["system_time", "nope"]\n', 2, "(field tools.1)"],
  ['name = "x"\nprovider = "nope"\n', 2, "(field provider)"],
  ['name = "x"\nprovider = "openai"\n', 1, "(field provider)"],
  ['name = "x"\nskills = ["no-such-skill"]\n', 2, "(field skills.0)"],
  [["--name", "x", "--parent", "nobody"], 1, "(field parent)"],
  ['name = "x"\n[schedule]\nevery = "5m"\n', 2, "(field schedule.message)"],
  ['name = "x"\ncapabilities = ["memory_read", "shell_exec"]\n', 2, "(field capabilities.1)"],
  ['name = "x"\nmcp_servers = ["fs"]\n', 2, "(field mcp_servers.0)"],
  ['name = "x"\nmodule = "builtin:other"\n', 2, "(field module)"],
];

async function run(dataDir: string, files: string): Promise<string[]> {
  const printed: string[] = [];
  for (const [i, [input, code, named]] of CASES.entries()) {
    let args: string[];
    if (typeof input === "string") {
      await Deno.writeTextFile(`${files}/m${i}.toml`, input);
      args = ["agent", "spawn", `${files}/m${i}.toml`];
    } else {
      args = ["agent", "spawn", ...input];
    }
    const r = await talon(dataDir, ...args);
    const what = `${args.join(" ")}: ${r.err}`;
    assert.equal(r.code, code, what);
    assert.equal(r.out, "");
    assert.match(r.err, /^error: /, what);
    assert.equal(r.err.trim().split("\n").length, 1, `one line: ${what}`);
    assert.ok(r.err.trim().endsWith(named), `names ${named}: ${what}`);
    printed.push(r.err.replaceAll(files, "<dir>"));
  }
  return printed;
}

Deno.test("talon agent spawn names the field of each refusal, in-process and through a server alike", async () => {
  const root = await Deno.makeTempDir();
  try {
    const local = await run(`${root}/local`, root);
    const dataDir = `${root}/served`;
    const kernel = await bootQuiet(dataDir);
    const stopServing = await serveDataDir(kernel, dataDir);
    let remote: string[];
    try {
      remote = await run(dataDir, root);
      assert.equal(kernel.agents.list().length, 0, "nothing spawned");
    } finally {
      await stopServing();
    }
    assert.deepEqual(remote, local);
    assert.match(local[CASES.length - 1]!, /not_supported|not built yet/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
