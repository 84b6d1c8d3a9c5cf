import assert from "node:assert/strict";
import { cleanEnv, inRepoReadFlags, REPO_ROOT } from "../talon_process.ts";

/** The permission flags of `deno task start`, read from deno.json (the one source of truth). */
async function startFlags(): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(`${REPO_ROOT}deno.json`));
  const words: string[] = config.tasks.start.command.split(/\s+/);
  const main = words.indexOf("main.ts");
  assert.ok(words[0] === "deno" && words[1] === "run" && main > 1, "start is `deno run … main.ts`");
  const flags = words.slice(2, main);
  assert.ok(!flags.includes("-A") && !flags.includes("--allow-all"), "start never uses -A");
  return flags;
}

/** `deno run <start flags> <module> <args>` in `cwd`, with the repo's deno.json. */
async function underStartFlags(cwd: string, module: string, args: string[]): Promise<Deno.Command> {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...inRepoReadFlags(await startFlags()),
      "--quiet",
      "--no-prompt",
      "--config",
      `${REPO_ROOT}deno.json`,
      `${REPO_ROOT}${module}`,
      ...args,
    ],
    cwd,
    env: cleanEnv(),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  });
}

Deno.test("under start's flags the kernel runs in ./data but cannot read or write outside it, read other env or spawn processes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "talon-perm-" });
  try {
    await Deno.writeTextFile(`${dir}/outside.txt`, "not for talon");
    await Deno.mkdir(`${dir}/data`, { mode: 0o700 });
    await Deno.writeTextFile(
      `${dir}/data/config.toml`,
      'max_capabilities = ["file_read", "file_write", "shell_exec", "net_connect:*"]\n',
    );
    const out = await (await underStartFlags(dir, "tests/integration/permissions_probe.ts", [
      `${dir}/outside.txt`,
    ])).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    const report = JSON.parse(new TextDecoder().decode(out.stdout));
    assert.match(report.read_outside, /^NotCapable: Requires read access to ".*outside\.txt"/);
    assert.match(report.run_process, /^NotCapable: Requires run access to "true"/);
    assert.match(
      report.write_outside,
      /^NotCapable: Requires write access to ".*outside\.txt\.new"/,
    );
    assert.match(report.env_other, /^NotCapable: Requires env access to "HOME"/);
    assert.equal(report.file_write, "ok: wrote 6 bytes to a.txt");
    assert.equal(report.file_read, "ok: inside");
    assert.match(report.file_read_outside, /absolute paths must lie inside the workspace/);
    assert.match(report.web_fetch_metadata, /cloud metadata address/);
    assert.match(report.shell_exec_gate, /^Error\(approval_rejected\).*reason: probe/);
    assert.match(
      report.shell_exec_handler,
      /^TalonError\(permission_missing\): running "true" needs Talon to be started with Deno's --allow-run flag/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("under start's flags `main.ts serve` starts and answers /api/health", async () => {
  const dir = await Deno.makeTempDir({ prefix: "talon-perm-" });
  try {
    const child = (await underStartFlags(dir, "main.ts", ["serve", "--port", "0"])).spawn();
    const stderr = new Response(child.stderr).text();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let banner = "";
    while (!banner.includes("Press Ctrl+C")) {
      const { value, done } = await reader.read();
      if (done) {
        await child.status;
        assert.fail(`serve exited before its banner:\n${banner}\n${await stderr}`);
      }
      banner += value;
    }
    const url = /serving on (http:\/\/\S+)/.exec(banner)![1]!;
    const health = await fetch(`${url}/api/health`);
    assert.deepEqual(await health.json(), { status: "ok" });
    child.kill("SIGTERM");
    const status = await child.status;
    for (;;) if ((await reader.read()).done) break;
    assert.equal(status.code, 0, await stderr);
    assert.ok((await Deno.stat(`${dir}/data/talon.db`)).isFile, "the data dir is ./data");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
