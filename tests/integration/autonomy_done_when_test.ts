/**
 * Issue 12's "Done when", end to end under a real `talon serve`, driven only
 * through the CLI (which acts through the server): a schedule keeps an agent
 * answering with nobody prompting it; a gated `file_write` waits until a
 * person approves it and only then writes; SIGTERM and a restart keep every
 * schedule and run, expire the request still pending, and never run its call.
 */
import assert from "node:assert/strict";
import { withTempDir } from "../kernel/fixtures.ts";
import { runTalon, startServe } from "../talon_process.ts";

async function until<T>(check: () => Promise<T | false>, what: string, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

Deno.test("under talon serve: a 2s schedule keeps an agent answering, a gated file_write waits for `talon approval approve`, and a restart expires the pending one without writing", async () => {
  await withTempDir(async (dir) => {
    const cli = async (...args: string[]) => {
      const r = await runTalon([...args, "--data-dir", dir]);
      assert.equal(r.code, 0, `talon ${args.join(" ")}: ${r.stderr}`);
      return r.stdout;
    };
    const cliJson = async (...args: string[]) => JSON.parse(await cli(...args, "--json"));
    const idOf = (out: string) => out.trim().split("\n").at(-1)!;

    await Deno.writeTextFile(
      `${dir}/config.toml`,
      'max_capabilities = ["file_write"]\n[approvals]\nrequire = ["file_write"]\n',
    );
    const write = (file: string) => [
      { tool_calls: [{ name: "file_write", args: { path: file, content: `${file} approved` } }] },
      { text: `wrote ${file}` },
    ];
    await Deno.writeTextFile(
      `${dir}/writer.json`,
      JSON.stringify({
        turns: [
          { match: "^first", steps: write("first.txt") },
          { match: "^second", steps: write("second.txt") },
        ],
      }),
    );
    await Deno.writeTextFile(
      `${dir}/writer.toml`,
      `name = "writer"\nmodel = "script:${dir}/writer.json"\ncapabilities = ["file_write"]\ntools = ["file_write"]\n`,
    );

    const first = await startServe(dir);
    let stopped;
    let ticker: string;
    let secondRequest: string;
    let secondSchedule: string;
    let tickerRunsBefore: { id: number; outcome: string }[];
    let workspace: string;
    try {
      await cli("agent", "spawn", "--name", "ticker");
      const writer = await cliJson("agent", "spawn", `${dir}/writer.toml`);
      workspace = `${dir}/workspaces/${writer.id}`;
      ticker = idOf(
        await cli("schedule", "add", "ticker", "--every", "2s", "--message", "tick"),
      );
      const firstSchedule = idOf(
        await cli("schedule", "add", "writer", "--every", "1h", "--message", "first file"),
      );
      secondSchedule = idOf(
        await cli("schedule", "add", "writer", "--every", "1h", "--message", "second file"),
      );

      await until(async () => {
        const { runs } = await cliJson("schedule", "runs", ticker);
        return runs.filter((r: { outcome: string }) => r.outcome === "ok").length >= 2;
      }, "two ok runs of the 2s schedule");

      await cli("schedule", "run-now", firstSchedule);
      const request = await until(async () => {
        const pending = await cliJson("approval", "list", "--status", "pending");
        return pending.length === 1 ? pending[0] : false;
      }, "the first file_write to wait for approval");
      assert.equal(request.tool, "file_write");
      assert.equal(request.args.path, "first.txt");
      assert.equal(await exists(`${workspace}/first.txt`), false, "no file before approval");
      assert.match(await cli("approval", "approve", request.id), /^Approved request /);
      await until(() => exists(`${workspace}/first.txt`), "the approved file");
      assert.equal(await Deno.readTextFile(`${workspace}/first.txt`), "first.txt approved");
      await until(async () => {
        const { runs } = await cliJson("schedule", "runs", firstSchedule);
        return runs[0]?.outcome === "ok";
      }, "the approved run to end ok");

      await cli("schedule", "run-now", secondSchedule);
      secondRequest = (await until(async () => {
        const pending = await cliJson("approval", "list", "--status", "pending");
        return pending.length === 1 ? pending[0] : false;
      }, "the second file_write to wait for approval")).id;
      tickerRunsBefore = (await cliJson("schedule", "runs", ticker, "--limit", "500")).runs;
    } finally {
      stopped = await first.stop("SIGTERM");
    }
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.equal(await exists(`${workspace}/second.txt`), false);

    const second = await startServe(dir);
    try {
      const expired = await cliJson("approval", "show", secondRequest);
      assert.deepEqual([expired.status, expired.decided_by], ["expired", "system"]);
      const approveLate = await runTalon(["approval", "approve", secondRequest, "--data-dir", dir]);
      assert.equal(approveLate.code, 1);
      assert.match(approveLate.stderr, /already expired/);
      const { runs: secondRuns } = await cliJson("schedule", "runs", secondSchedule);
      assert.deepEqual(secondRuns.map((r: { outcome: string }) => r.outcome), ["interrupted"]);

      const schedules = await cliJson("schedule", "list");
      assert.equal(schedules.length, 3);
      assert.ok(schedules.every((s: { enabled: boolean }) => s.enabled));
      const kept = new Set(tickerRunsBefore.map((r) => r.id));
      await until(async () => {
        const { runs } = await cliJson("schedule", "runs", ticker, "--limit", "500");
        const ids = new Set(runs.map((r: { id: number }) => r.id));
        assert.ok([...kept].every((id) => ids.has(id)), "every run row survived the restart");
        return runs.some((r: { id: number; outcome: string }) =>
          !kept.has(r.id) && r.outcome === "ok"
        );
      }, "the schedule to answer again after the restart");
    } finally {
      const end = await second.stop("SIGTERM");
      assert.equal(end.code, 0, end.stderr);
    }
    assert.equal(
      await exists(`${workspace}/second.txt`),
      false,
      "never written without a decision",
    );
  });
});
