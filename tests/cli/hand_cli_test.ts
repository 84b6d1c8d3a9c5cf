import assert from "node:assert/strict";
import { withTempDir, writeScript } from "../kernel/fixtures.ts";
import { runsSettled } from "../kernel/hands/hand_fixtures.ts";
import { bootQuiet, type Captured, serveDataDir, talon } from "./cli_fixtures.ts";

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const TIME = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?/g;

/** What a run printed, with ids and times (which differ between runs) replaced. */
function shown(step: string[], r: Captured): string {
  return `$ ${step.join(" ")}\n[${r.code}]\n${r.out}${r.code === 0 ? "" : r.err}`
    .replace(UUID, "<id>").replace(TIME, "<time>");
}

/** Runs the Hand commands on `dataDir`; returns what each printed. */
async function scenario(dataDir: string): Promise<string[]> {
  const printed: string[] = [];
  const run = async (...step: string[]): Promise<Captured> => {
    const r = await talon(dataDir, ...step);
    printed.push(shown(step, r));
    return r;
  };
  await run("hand", "list");
  await run("hand", "list", "--json");
  await run("hand", "show", "researcher");
  await run("hand", "check", "researcher");
  const activated = await run(
    "hand",
    "activate",
    "researcher",
    "--name",
    "desk",
    "--set",
    "topic=Edge databases",
    "--set",
    "depth=quick",
    "--cron",
    "0 6 * * *",
    "--model",
    "script:/nowhere.json",
  );
  assert.equal(activated.code, 0, activated.err);
  assert.match(activated.out.trim().split("\n").at(-1)!, /^[0-9a-f-]{36}$/, "id on the last line");
  await run("hand", "activate", "lead", "--set", "profile=small bakeries", "--json");
  await run("hand", "instances");
  await run("hand", "instances", "--hand", "lead", "--json");
  await run("hand", "pause", "desk");
  await run("hand", "run", "desk");
  await run("hand", "resume", "desk");
  await run("hand", "deactivate", "lead");
  await run("hand", "instances", "--state", "deactivated");
  await run("report", "list");
  const before = (await talon(dataDir, "hand", "instances", "--json")).out;
  for (
    const [bad, field] of [
      [["hand", "activate", "researcher"], "settings.topic"],
      [
        ["hand", "activate", "researcher", "--set", "topic=x", "--set", "depth=abyss"],
        "settings.depth",
      ],
      [
        ["hand", "activate", "researcher", "--set", "topic=x", "--set", "colour=red"],
        "settings.colour",
      ],
      [["hand", "activate", "researcher", "--set", "topic"], "settings.topic"],
      [["hand", "activate", "researcher", "--set", "topic=x", "--cron", "61 * * * *"], "cron"],
      [["hand", "activate", "researcher", "--set", "topic=x", "--name", "Bad Name"], "name"],
      [["hand", "activate", "researcher", "--set", "topic=x", "--name", "desk"], "name"],
      [["hand", "show", "Not_A_Hand"], "id"],
      [["hand", "instances", "--state", "asleep"], "state"],
      [["report", "list", "--limit", "0"], "limit"],
    ] as const
  ) {
    const r = await run(...bad);
    assert.equal(r.code, 2, `${bad.join(" ")}: ${r.err}`);
    assert.equal(r.out, "");
    assert.match(r.err, new RegExp(`\\(fields? [^)]*${field.replace(".", "\\.")}`), r.err);
  }
  assert.equal(
    (await talon(dataDir, "hand", "instances", "--json")).out,
    before,
    "nothing written",
  );
  for (
    const missing of [["hand", "show", "nope"], ["hand", "pause", "ghost"], ["report", "show", "x"]]
  ) {
    assert.equal((await run(...missing)).code, 1, missing.join(" "));
  }
  return printed;
}

Deno.test("talon hand …: same output in-process and through a server; bad input exits 2 naming the field and writes nothing", async () => {
  await withTempDir(async (root) => {
    const local = await scenario(`${root}/local`);
    const dataDir = `${root}/served`;
    const kernel = await bootQuiet(dataDir);
    const stopServing = await serveDataDir(kernel, dataDir);
    let remote;
    try {
      remote = await scenario(dataDir);
    } finally {
      await stopServing();
    }
    assert.deepEqual(remote, local);
    const text = local.join("\n");
    assert.match(text, /researcher\s+Researcher\s+research\s+yes/);
    assert.match(text, /topic \(text; required\): Topic/);
    assert.match(text, /Operating procedure:\n\n# Researcher/);
    assert.match(text, /researcher has no requirements; it can be activated here\./);
    assert.match(
      text,
      /Activated Hand instance desk \(researcher\): active; next run <time> UTC\.\n<id>\n/,
    );
    assert.match(text, /desk\s+researcher\s+active\s+<time>\s+-\s+\$0\.00\s+0/);
    assert.match(text, /Paused Hand instance desk \(researcher\): paused\./);
    assert.match(text, /Deactivated Hand instance lead \(lead\): deactivated\./);
    assert.match(text, /No reports yet\./);
    assert.match(
      text,
      /\$ hand run desk\n\[1\]\nerror: Hand instance "desk" is paused; resume it first/,
    );
    assert.match(text, /field settings\.topic\)/);
  });
});

Deno.test("talon hand run through a server runs the instance; talon report list|show print the same with or without the server, control characters dropped", async () => {
  await withTempDir(async (root) => {
    const dataDir = `${root}/data`;
    const script = await writeScript(root, {
      turns: [{
        match: "Scheduled run",
        steps: [
          {
            tool_calls: [{
              name: "report_write",
              args: {
                title: "Edge notes",
                body: "# Summary\n\nSQLite \u001b[31mred\u001b[0m at the edge [1].",
                sources: [{ url: "https://example.com/a", title: "A" }],
              },
            }],
          },
          { text: "stored" },
        ],
      }],
    });
    const kernel = await bootQuiet(dataDir);
    const stopServing = await serveDataDir(kernel, dataDir);
    const served: string[] = [];
    let id: string;
    try {
      const activated = await talon(
        dataDir,
        "hand",
        "activate",
        "researcher",
        "--set",
        "topic=edge",
        "--model",
        `script:${script}`,
      );
      assert.equal(activated.code, 0, activated.err);
      const ran = await talon(dataDir, "hand", "run", "researcher");
      assert.equal(ran.code, 0, ran.err);
      assert.match(
        ran.out,
        /^Run \d+ is (running|queued).*talon report list --instance researcher\n$/,
      );
      await runsSettled(kernel, "researcher");
      const list = await talon(dataDir, "report", "list", "--instance", "researcher", "--json");
      id = JSON.parse(list.out)[0].id;
      for (
        const step of [["report", "list"], ["report", "show", id], ["report", "show", id, "--json"]]
      ) {
        served.push((await talon(dataDir, ...step)).out);
      }
    } finally {
      await stopServing();
    }
    const local: string[] = [];
    for (
      const step of [["report", "list"], ["report", "show", id], ["report", "show", id, "--json"]]
    ) {
      local.push((await talon(dataDir, ...step)).out);
    }
    assert.deepEqual(local, served);
    assert.match(local[0]!, /Edge notes\s+1\n/);
    assert.match(local[1]!, /title:\s+Edge notes\n/);
    assert.match(local[1]!, /\[1\] https:\/\/example\.com\/a — A\n/);
    assert.match(local[1]!, /SQLite \[31mred\[0m at the edge/);
    assert.ok(!local[1]!.includes("\u001b"), "no escape sequence reaches the terminal");
    assert.match(local[2]!, /\\u001b\[31m/, "--json keeps the text as stored");
  });
});
