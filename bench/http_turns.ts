/**
 * Durable turns through the HTTP API of a real `talon serve` process:
 * `POST /api/agents/{id}/message` from 50 clients over 10 agents (offline
 * driver, rate limits raised, budget caps set), then 100 agents in
 * concurrent multi-turn conversations. Prints turns/s, latency, the serve
 * process's RSS over time (peak, and 30 s after the run), database bytes per
 * short turn, and — after stopping the server — the per-turn stored counts
 * and `audit verify`, asserted.
 *
 *   deno run -A bench/http_turns.ts [turns=5000] [seconds=20]
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { bootKernel, createLogger } from "../kernel/mod.ts";
import {
  percentile,
  pool,
  rssKiB,
  sampleRss,
  serve,
  serverCredential,
  talonServeArgs,
} from "./lib.ts";
import { BENCH_CONFIG, checkPersisted, cpuMs } from "./throughput.ts";

/** What the HTTP runs measured. */
export interface HttpFigures {
  turns: number;
  seconds: number;
  turns_per_s: number;
  /** CPU time of the serve process per turn (ms). */
  server_cpu_ms_per_turn: number;
  p50_ms: number;
  p99_ms: number;
  idle_mib: number;
  peak_mib: number;
  after_30s_mib: number;
  rss_over_time_mib: number[];
  db_bytes_per_turn: number;
  conversations: { agents: number; turns: number; peak_mib: number };
  per_turn: Record<string, number>;
  audit_verified: boolean;
  audit_entries: number;
}

/** The database's logical size (committed pages, WAL included), read by a second connection. */
function dbBytes(dir: string): number {
  const db = new DatabaseSync(`${dir}/talon.db`, { readOnly: true });
  try {
    const { n } = db.prepare(
      "SELECT page_count * page_size AS n FROM pragma_page_count, pragma_page_size",
    )
      .get() as { n: number };
    return n;
  } finally {
    db.close();
  }
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs both HTTP measurements against one fresh `talon serve`. */
export async function httpTurns(turns: number, seconds: number): Promise<HttpFigures> {
  const dir = await Deno.makeTempDir({ prefix: "talon-http-bench-" });
  await Deno.writeTextFile(`${dir}/config.toml`, BENCH_CONFIG);
  const t = await serve(talonServeArgs, { dir });
  let result: Omit<HttpFigures, "per_turn" | "audit_verified" | "audit_entries">;
  let shortTurns = 0;
  try {
    const credential = await serverCredential(dir);
    const headers = {
      authorization: `Bearer ${credential}`,
      "content-type": "application/json",
    };
    const post = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
      const res = await fetch(`${t.url}${path}`, {
        method: "POST",
        headers,
        body: JSON.stringify(body),
      });
      const json = await res.json();
      if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    for (let a = 0; a < 10; a++) await post("/api/agents", { name: `turns${a}` });
    await settle(1000);
    const idle = rssKiB(t.child.pid);
    // One warm-up turn per agent, so the run measures steady state.
    for (let a = 0; a < 10; a++) await post(`/api/agents/turns${a}/message`, { text: "warm up" });
    const startBytes = dbBytes(dir);
    const rss = sampleRss(t.child.pid, 500);
    const latencies: number[] = [];
    const cpu0 = cpuMs(t.child.pid);
    const started = performance.now();
    const done = await pool(turns, 50, started + seconds * 1000, async (i) => {
      const t0 = performance.now();
      const end = await post(`/api/agents/turns${i % 10}/message`, {
        text: `message number ${i} for the bench`,
      });
      if (end.status !== "completed") throw new Error(`turn ${i}: ${end.status}`);
      latencies.push(performance.now() - t0);
    });
    const elapsed = (performance.now() - started) / 1000;
    const serverCpu = cpuMs(t.child.pid) - cpu0;
    const samples = rss.stop();
    shortTurns = done + 10;
    await settle(500);
    const bytesPerTurn = Math.round((dbBytes(dir) - startBytes) / done);
    await settle(30_000);
    const after = rssKiB(t.child.pid);

    // 100 agents, each in a 5-turn conversation, all at once.
    for (let a = 0; a < 100; a++) await post("/api/agents", { name: `chat${a}` });
    const chatRss = sampleRss(t.child.pid, 250);
    await Promise.all(Array.from({ length: 100 }, async (_, a) => {
      for (let k = 0; k < 5; k++) {
        await post(`/api/agents/chat${a}/message`, { text: `turn ${k} of conversation ${a}` });
      }
    }));
    const chatPeak = Math.max(...chatRss.stop());
    shortTurns += 500;
    const mib = (kib: number) => Number((kib / 1024).toFixed(1));
    result = {
      turns: done,
      seconds: Number(elapsed.toFixed(2)),
      turns_per_s: Math.round(done / elapsed),
      server_cpu_ms_per_turn: Number((serverCpu / done).toFixed(2)),
      p50_ms: Number(percentile(latencies, 50).toFixed(1)),
      p99_ms: Number(percentile(latencies, 99).toFixed(1)),
      idle_mib: mib(idle),
      peak_mib: mib(Math.max(...samples)),
      after_30s_mib: mib(after),
      rss_over_time_mib: samples.filter((_, i) => i % 4 === 0).map(mib),
      db_bytes_per_turn: bytesPerTurn,
      conversations: { agents: 100, turns: 500, peak_mib: mib(chatPeak) },
    };
  } finally {
    await t.stop(true);
  }
  try {
    const kernel = await bootKernel({
      dataDir: dir,
      env: () => undefined,
      log: createLogger("error", { sink: () => {} }),
    });
    try {
      const checked = checkPersisted(kernel, shortTurns, {
        turns: 1,
        messages: 2,
        usage_rows: 1,
        audit_messages: 1,
        done_events: 1,
      }, {});
      return {
        ...result,
        per_turn: checked.per_task,
        audit_verified: checked.audit_verified,
        audit_entries: checked.audit_entries,
      };
    } finally {
      await kernel.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const [turns = 5000, seconds = 20] = Deno.args.map(Number);
  console.log(JSON.stringify(await httpTurns(turns, seconds), null, 2));
}
