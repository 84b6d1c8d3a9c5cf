import assert from "node:assert/strict";

const SOAK = new URL("../../bench/turn_soak.ts", import.meta.url).pathname;

interface Sample {
  turns: number;
  rss_mb?: number;
  session_repaired?: number;
}

Deno.test("2,000 offline turns in one kernel grow RSS by a bounded amount, not per turn", async () => {
  // Its own process, so no other test file's memory is counted.
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", SOAK, "2000", "10", "20"],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  assert.equal(output.code, 0, "the soak ran to its end");
  const samples = new TextDecoder().decode(output.stdout).trim().split("\n")
    .map((line) => JSON.parse(line) as Sample);
  const rss = (turns: number): number =>
    samples.find((s) => s.turns === turns && s.rss_mb !== undefined)!.rss_mb!;
  // Statements prepared per call grew this by ~270 MB (250 → 520 MB); a
  // warm kernel's caches fill in the first few hundred turns.
  const growth = rss(2000) - rss(500);
  assert.ok(growth < 100, `RSS grew ${growth} MB from turn 500 to 2,000`);
  assert.equal(samples.at(-1)!.session_repaired, 0, "no turn needed a session repair");
});
