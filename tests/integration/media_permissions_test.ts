import assert from "node:assert/strict";
import { serveWeb } from "../fakes/web_server.ts";
import { CHROMIUM, FFMPEG, skipWithout } from "../kernel/tools/builtins/binaries.ts";
import { cleanEnv, inRepoReadFlags, REPO_ROOT } from "../talon_process.ts";

const ignore = skipWithout([CHROMIUM, FFMPEG], "apt-get install chromium ffmpeg");

/** The permission flags of a deno.json task (`deno run <flags> main.ts serve`). */
async function taskFlags(task: string): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(`${REPO_ROOT}deno.json`));
  const words: string[] = config.tasks[task].command.split(/\s+/);
  const main = words.indexOf("main.ts");
  assert.ok(words[0] === "deno" && words[1] === "run" && main > 1, `${task} is deno run … main.ts`);
  const flags = words.slice(2, main);
  assert.ok(!flags.includes("-A") && !flags.includes("--allow-all"), `${task} never uses -A`);
  return flags;
}

/** Runs the probe under `task`'s flags in a fresh dir; returns its report. */
async function probeUnder(task: string, url: string): Promise<Record<string, string>> {
  const dir = await Deno.makeTempDir({ prefix: "talon-media-perm-" });
  try {
    await Deno.mkdir(`${dir}/data`, { mode: 0o700 });
    await Deno.writeTextFile(
      `${dir}/data/config.toml`,
      `[tools.web]\nallow_hosts = ["${new URL(url).host}"]\n`,
    );
    const made = await new Deno.Command(FFMPEG, {
      args: ["-loglevel", "error", "-f", "lavfi", "-i", "testsrc=duration=1:size=64x64:rate=25"]
        .concat(["-pix_fmt", "yuv420p", `${dir}/data/source.mp4`]),
      stdin: "null",
    }).output();
    assert.equal(made.code, 0, new TextDecoder().decode(made.stderr));
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        ...inRepoReadFlags(await taskFlags(task)),
        "--quiet",
        "--no-prompt",
        "--config",
        `${REPO_ROOT}deno.json`,
        `${REPO_ROOT}tests/integration/media_permissions_probe.ts`,
        url,
      ],
      cwd: dir,
      env: cleanEnv(),
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    return JSON.parse(new TextDecoder().decode(out.stdout));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const page = () =>
  serveWeb(() =>
    new Response("<title>Probe page</title><p>hello</p>", {
      headers: { "content-type": "text/html" },
    })
  );

Deno.test({
  name:
    "under start's flags the browser and video_clip fail naming the flags to add; boot never loads playwright",
  ignore,
  fn: async () => {
    await using site = page();
    const report = await probeUnder("start", `${site.origin}/`);
    assert.equal(report.playwright_loaded_at_boot, "false");
    assert.match(
      report.browser_open!,
      /need Talon started with .*--allow-run=\/usr\/bin\/chromium.*deno task start:hands/,
    );
    assert.match(report.browser_open!, /--allow-env/);
    assert.match(
      report.video_clip!,
      /running "\/usr\/bin\/ffmpeg" needs .*--allow-run=\/usr\/bin\/ffmpeg/,
    );
    assert.equal(site.hits.length, 0);
  },
});

Deno.test({
  name: "under start:hands' flags the browser opens a local page and video_clip cuts a clip",
  ignore,
  fn: async () => {
    await using site = page();
    const report = await probeUnder("start:hands", `${site.origin}/`);
    assert.match(report.browser_open!, /^ok: url: .*\ntitle: Probe page\n/);
    assert.match(report.video_clip!, /^ok: \{"input":"source\.mp4","clips":\[\{"output":"c\.mp4"/);
    assert.equal(site.hits.length, 1);
  },
});
