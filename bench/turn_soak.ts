/**
 * In-process turn soak: runs offline turns through one kernel (everything
 * persisted) and prints, as JSON lines, RSS and V8 heap over time, the median
 * turn latency per history window, database bytes per turn and how many
 * turns needed a session repair.
 *
 *   deno run -A bench/turn_soak.ts [turns=3000] [agents=10] [concurrency=20]
 *
 * `deno task bench:soak` runs the target's soak (100,000 turns through one
 * agent) and writes bench/results/soak.json: RSS growth from 10k to 100k
 * turns and the median turn latency at the end over that at 1k turns.
 *
 * Figures from one run are comparable with each other only (the machine's
 * load moves them); compare before/after in the same conditions.
 */
import { bootKernel, createLogger } from "../kernel/mod.ts";

const [turns = 3000, agentCount = 10, concurrency = 20] = Deno.args.map(Number);
const dir = await Deno.makeTempDir({ prefix: "talon-soak-" });
const kernel = await bootKernel({
  dataDir: dir,
  env: () => undefined,
  log: createLogger("error", { sink: () => {} }),
});
const names = Array.from({ length: agentCount }, (_, i) => `soak${i}`);
for (const name of names) kernel.agents.spawn({ name });

const mb = (n: number): number => Math.round(n / 1048576);
const sample = (done: number): void => {
  const m = Deno.memoryUsage();
  console.log(JSON.stringify({
    turns: done,
    rss_mb: mb(m.rss),
    heap_used_mb: mb(m.heapUsed),
    external_mb: mb(m.external),
  }));
};
const dbBytes = (): number => {
  let total = 0;
  for (const f of ["talon.db", "talon.db-wal"]) {
    try {
      total += Deno.statSync(`${dir}/${f}`).size;
    } catch { /* absent */ }
  }
  return total;
};

sample(0);
const startBytes = dbBytes();
let next = 0;
let done = 0;
const window: number[] = [];
const medians = new Map<number, number>();
const rssAt = new Map<number, number>();
const started = performance.now();
async function worker(): Promise<void> {
  while (next < turns) {
    const i = next++;
    const t0 = performance.now();
    await kernel.agents.send(names[i % names.length], `message number ${i} for the soak`).result;
    window.push(performance.now() - t0);
    done++;
    if (done % 500 === 0) {
      window.sort((a, b) => a - b);
      medians.set(done, window[window.length >> 1]!);
      rssAt.set(done, Deno.memoryUsage().rss);
      console.log(JSON.stringify({
        turns: done,
        median_ms: Number(medians.get(done)!.toFixed(2)),
      }));
      window.length = 0;
      sample(done);
    }
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = (performance.now() - started) / 1000;
sample(done);
kernel.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
kernel.bus.flush();
const repaired = kernel.db.prepare(
  "SELECT count(*) AS n FROM events WHERE type = 'session.repaired'",
).get() as { n: number };
console.log(JSON.stringify({
  turns: done,
  turns_per_s: Math.round(done / seconds),
  db_bytes_per_turn: Math.round((dbBytes() - startBytes) / done),
  session_repaired: repaired.n,
}));
await kernel.close();
await Deno.remove(dir, { recursive: true });
if (turns >= 100_000) {
  // Windows of 500 turns: the one ending at 1,000 against the last one.
  const last = Math.floor(done / 500) * 500;
  const summary = {
    at: new Date().toISOString(),
    turns: done,
    agents: agentCount,
    concurrency,
    rss_10k_mb: mb(rssAt.get(10_000)!),
    rss_end_mb: mb(rssAt.get(last)!),
    rss_growth_pct: Number(((rssAt.get(last)! / rssAt.get(10_000)! - 1) * 100).toFixed(1)),
    median_1k_ms: Number(medians.get(1000)!.toFixed(2)),
    median_end_ms: Number(medians.get(last)!.toFixed(2)),
    median_ratio: Number((medians.get(last)! / medians.get(1000)!).toFixed(2)),
  };
  const results = new URL("./results/", import.meta.url).pathname;
  await Deno.mkdir(results, { recursive: true });
  await Deno.writeTextFile(`${results}soak.json`, JSON.stringify(summary, null, 2) + "\n");
  console.log(JSON.stringify(summary));
}
