import assert from "node:assert/strict";
import { withTempDir } from "../kernel/fixtures.ts";
import { bootQuiet, type Captured, serveDataDir, talon } from "./cli_fixtures.ts";

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const TIME = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?/g;

/** What a run printed, with ids and times (which differ between runs) replaced. */
function shown(step: string[], r: Captured): string {
  return `$ ${step.join(" ")}\n[${r.code}]\n${r.out}${r.code === 0 ? "" : r.err}`
    .replace(UUID, "<id>").replace(TIME, "<time>");
}

/** Runs every schedule command on `dataDir`; returns what each printed (stdout; stderr of failures). */
async function scenario(
  dataDir: string,
  files: string,
): Promise<{ printed: string[]; notes: number }> {
  const printed: string[] = [];
  let notes = 0;
  const run = async (...step: string[]): Promise<Captured> => {
    const r = await talon(dataDir, ...step);
    if (r.code === 0 && /schedules fire only while it runs/.test(r.err)) notes++;
    printed.push(shown(step, r));
    return r;
  };
  await run("agent", "spawn", "--name", "a");
  await Deno.writeTextFile(
    `${files}/reporter.toml`,
    'name = "reporter"\n[schedule]\nevery = "1h"\nmessage = "report"\n',
  );
  await run("agent", "spawn", `${files}/reporter.toml`);
  const added = await run("schedule", "add", "a", "--every", "1h", "--message", "hello");
  const id = added.out.trim().split("\n").at(-1)!;
  assert.match(id, /^[0-9a-f-]{36}$/, `the id alone on the last line: ${added.out}`);
  const cron = await run(
    "schedule",
    "add",
    "a",
    "--cron",
    "0 9 * * 1-5",
    "--tz",
    "Europe/Berlin",
    "--message",
    "standup",
    "--catch-up",
    "skip",
    "--overlap",
    "queue",
    "--max-runtime",
    "90s",
  );
  const cronId = cron.out.trim().split("\n").at(-1)!;
  await run("schedule", "add", "a", "--at", "2035-01-01T09:00:00Z", "--message", "once");
  await run("schedule", "list");
  await run("schedule", "list", "--agent", "a", "--json");
  await run("schedule", "show", cronId);
  await run("schedule", "show", cronId, "--json");
  await run("schedule", "edit", id, "--every", "2h", "--message", "hello again");
  await run("schedule", "disable", id);
  await run("schedule", "enable", id);
  await run("schedule", "runs", id);
  await run("schedule", "runs", id, "--json");
  const manifestRow =
    JSON.parse((await talon(dataDir, "schedule", "list", "--owner", "manifest", "--json")).out)[0];
  await run("schedule", "remove", manifestRow.id);
  await run("schedule", "remove", cronId);
  await run("schedule", "show", cronId);
  const before = (await talon(dataDir, "schedule", "list", "--json")).out;
  for (
    const bad of [
      ["schedule", "add", "a", "--cron", "61 * * * *", "--message", "m"],
      ["schedule", "add", "a", "--cron", "* * * * *", "--tz", "Mars/Base", "--message", "m"],
      ["schedule", "add", "a", "--every", "500ms", "--message", "m"],
      ["schedule", "add", "ghost", "--every", "1h", "--message", "m"],
      ["schedule", "add", "a", "--every", "1h"],
      ["schedule", "add", "a", "--message", "m"],
      ["schedule", "add", "a", "--every", "1h", "--at", "2035-01-01T00:00:00Z", "--message", "m"],
      ["schedule", "add", "a", "--every", "1h", "--message", "m", "--catch-up", "always"],
      ["schedule", "add", "a", "--every", "1h", "--message", "m", "--max-runtime", "soon"],
      ["schedule", "add", "a", "--every", "1h", "--tz", "UTC", "--message", "m"],
      ["schedule", "edit", id, "--cron", "not a cron"],
      ["schedule", "edit", id],
      ["schedule", "runs", id, "--limit", "0"],
      ["schedule", "list", "--owner", "nobody"],
    ]
  ) {
    const r = await run(...bad);
    assert.equal(r.code, 2, `${bad.join(" ")}: ${r.err}`);
    assert.equal(r.out, "");
    assert.equal(r.err.trim().split("\n").length, 1, `one line: ${r.err}`);
  }
  assert.equal((await talon(dataDir, "schedule", "list", "--json")).out, before, "nothing written");
  return { printed, notes };
}

Deno.test("talon schedule add|list|show|edit|enable|disable|remove|runs: same output in-process and through a server; bad input exits 2 naming the field and writes nothing", async () => {
  await withTempDir(async (root) => {
    const local = await scenario(`${root}/local`, root);
    const dataDir = `${root}/served`;
    const kernel = await bootQuiet(dataDir);
    const stopServing = await serveDataDir(kernel, dataDir);
    let remote;
    try {
      remote = await scenario(dataDir, root);
    } finally {
      await stopServing();
    }
    assert.deepEqual(remote.printed, local.printed);
    assert.ok(local.notes >= 4, "without a server, commands say schedules fire under serve");
    assert.equal(remote.notes, 0);
    const text = local.printed.join("\n");
    assert.match(text, /Scheduled every 1h for agent a; next run <time> UTC\.\n<id>\n/);
    assert.match(text, /cron 0 9 \* \* 1-5 \(Europe\/Berlin\)/);
    assert.match(text, /when:\s+cron 0 9 \* \* 1-5 \(Europe\/Berlin\)\n/);
    assert.match(text, /catch up:\s+skip\noverlap:\s+queue\nmax runtime: 1m30s\n/);
    assert.match(text, /Schedule <id> is now every 2h; next run <time> UTC\./);
    assert.match(text, /Schedule <id> is disabled\./);
    assert.match(
      text,
      /\$ schedule remove <id>\n\[1\]\nerror: cannot remove schedule <id>: it is owned by agent "reporter"'s manifest/,
    );
    assert.match(text, /\$ schedule show <id>\n\[1\]\nerror: no schedule with id/);
    for (
      const [flag, field] of [
        ["61 \\* \\* \\* \\*", "cron"],
        ["Mars/Base", "tz"],
        ["500ms", "every"],
        ["ghost", "agent"],
        ["always", "catch_up"],
        ["soon", "max_runtime"],
      ]
    ) {
      assert.match(
        text,
        new RegExp(`${flag}[^\\n]*\\n\\[2\\]\\nerror: [^\\n]*\\(field ${field}\\)\\n`),
        field,
      );
    }
  });
});

Deno.test("talon schedule run-now: without a server it explains that it needs serve; through one it fires and the run shows in runs", async () => {
  await withTempDir(async (dataDir) => {
    await talon(dataDir, "agent", "spawn", "--name", "a");
    const id = (await talon(dataDir, "schedule", "add", "a", "--every", "1h", "--message", "hi"))
      .out.trim().split("\n").at(-1)!;
    const offline = await talon(dataDir, "schedule", "run-now", id);
    assert.equal(offline.code, 1);
    assert.match(offline.err, /talon serve/);
    assert.equal(
      JSON.parse((await talon(dataDir, "schedule", "runs", id, "--json")).out).runs.length,
      0,
    );

    const kernel = await bootQuiet(dataDir);
    const stopServing = await serveDataDir(kernel, dataDir);
    try {
      const fired = await talon(dataDir, "schedule", "run-now", id);
      assert.equal(fired.code, 0, fired.err);
      assert.match(
        fired.out,
        /^Run \d+ is running \(turn [0-9a-f-]{36}\); see talon schedule runs /,
      );
      let runs: { outcome: string; trigger: string }[] = [];
      for (let i = 0; i < 500; i++) {
        runs = JSON.parse((await talon(dataDir, "schedule", "runs", id, "--json")).out).runs;
        if (runs[0]?.outcome === "ok") break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.deepEqual(runs.map((r) => [r.trigger, r.outcome]), [["manual", "ok"]]);
      const table = await talon(dataDir, "schedule", "runs", id);
      assert.match(
        table.out,
        /^RUN\s+TRIGGER\s+DUE \(UTC\)\s+STARTED\s+ENDED\s+OUTCOME\s+COST\s+REASON\n\d+\s+manual\s+.*\s+ok\s+\$0\.00\s+-\n$/,
      );
    } finally {
      await stopServing();
    }
  });
});
