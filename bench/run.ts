/**
 * `deno task bench`: every figure of the performance targets in one table,
 * each against its floor or target, and `bench/results/latest.json`.
 * Loopback only, bounded (about 3–5 minutes on a 2-core box). The soak is
 * not run here (`deno task bench:soak` writes bench/results/soak.json, which
 * this table then shows).
 *
 *   deno run -A bench/run.ts [runs=5]
 *
 * @module
 */
import { httpTurns } from "./http_turns.ts";
import { routing, sse, toolChain } from "./throughput.ts";
import { wasmCallMicros } from "./wasm_call.ts";
import { measureCli, measurePerAgent, measureStart } from "./whole_process.ts";

const RESULTS = new URL("./results/", import.meta.url).pathname;
const runs = Number(Deno.args[0] ?? 5);
const log = (what: string) => console.error(`bench: ${what}…`);

log("cold start and idle RSS (talon serve vs bare Deno.serve, alternating)");
const start = await measureStart(runs);
log("talon --version / --help vs deno run of an empty file");
const cli = await measureCli(runs);
log("RSS per idle agent (10,000 agents)");
const perAgent = await measurePerAgent(10_000);
log("in-process WASM skill call");
const wasm = await wasmCallMicros(2000);
log("routing throughput (≤ 10,000 tasks or 20 s)");
const route = await routing(10_000, 20);
log("tool-chain throughput (≤ 10,000 tasks or 20 s)");
const tools = await toolChain(10_000, 20);
log("SSE token latency, 100 streams");
const stream = await sse(100);
log("durable turns over HTTP (≤ 10,000 turns or 20 s), then 30 s idle, then 100 conversations");
const http = await httpTurns(10_000, 20);
let soak: Record<string, number> | undefined;
try {
  soak = JSON.parse(await Deno.readTextFile(`${RESULTS}soak.json`));
} catch { /* not run */ }

type Row = [figure: string, talon: string, target: string, verdict: string];
const x = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const ok = (pass: boolean) => (pass ? "pass" : "MISS");
const peakAny = Math.max(http.peak_mib, route.peak_rss_mib, tools.peak_rss_mib);
const rows: Row[] = [
  [
    "cold start → first /api/health",
    `${start.talon_start_ms.toFixed(0)} ms`,
    `floor ${start.floor_start_ms.toFixed(0)} ms; ≤ 2×`,
    `${x(start.talon_start_ms, start.floor_start_ms)} ${
      ok(start.talon_start_ms <= 2 * start.floor_start_ms)
    }`,
  ],
  [
    "idle RSS after start",
    `${start.talon_idle_mib.toFixed(1)} MiB`,
    `floor ${start.floor_idle_mib.toFixed(1)} MiB; ≤ 1.8×`,
    `${x(start.talon_idle_mib, start.floor_idle_mib)} ${
      ok(start.talon_idle_mib <= 1.8 * start.floor_idle_mib)
    }`,
  ],
  [
    "talon --version",
    `${cli.version_ms.toFixed(0)} ms, ${cli.version_mib.toFixed(1)} MiB`,
    `deno run empty: ${cli.floor_ms.toFixed(0)} ms, ${cli.floor_mib.toFixed(1)} MiB; ≤ 1.5×`,
    `${x(cli.version_ms, cli.floor_ms)} ${ok(cli.version_ms <= 1.5 * cli.floor_ms)}`,
  ],
  [
    "talon --help",
    `${cli.help_ms.toFixed(0)} ms, ${cli.help_mib.toFixed(1)} MiB`,
    `deno run empty: ${cli.floor_ms.toFixed(0)} ms; ≤ 1.5×`,
    `${x(cli.help_ms, cli.floor_ms)} ${ok(cli.help_ms <= 1.5 * cli.floor_ms)}`,
  ],
  [
    "RSS per idle agent (10,000 agents)",
    `${(perAgent.bytes / 1024).toFixed(1)} KiB`,
    "≤ 50 KB",
    ok(perAgent.bytes <= 50_000),
  ],
  [
    "100 agents in concurrent conversations (5 turns each)",
    `${http.conversations.peak_mib} MiB peak`,
    "≤ 150 MB",
    ok(http.conversations.peak_mib * 1.048576 <= 150),
  ],
  [
    "routing (router → 1 of 3 agents), concurrency 100",
    `${route.tasks_per_s} tasks/s (${route.tasks} tasks, p50 ${route.p50_ms} ms)`,
    "≥ 2,500 tasks/s",
    ok(route.tasks_per_s >= 2500),
  ],
  [
    "tool chain (model → tool → answer), concurrency 100",
    `${tools.tasks_per_s} tasks/s (${tools.tasks} tasks, p50 ${tools.p50_ms} ms)`,
    "≥ 1,000 tasks/s",
    ok(tools.tasks_per_s >= 1000),
  ],
  ["WASM skill call, in-process", `${wasm} µs`, "≤ 50 µs", ok(wasm <= 50)],
  [
    "SSE token → client bytes, 100 streams",
    `p99 ${stream.p99_ms} ms (p50 ${stream.p50_ms} ms)`,
    "p99 ≤ 5 ms",
    ok(stream.p99_ms <= 5),
  ],
  [
    "durable turns over HTTP, 50 clients, 10 agents",
    `${http.turns_per_s} turns/s (${http.turns} turns, p50 ${http.p50_ms} ms)`,
    "≥ 1,000 turns/s",
    ok(http.turns_per_s >= 1000),
  ],
  [
    "peak RSS in a throughput run / 30 s after",
    `${peakAny} / ${http.after_30s_mib} MiB`,
    "≤ 150 MB each",
    ok(peakAny * 1.048576 <= 150 && http.after_30s_mib * 1.048576 <= 150),
  ],
  [
    "database bytes per short turn",
    `${http.db_bytes_per_turn} B`,
    "≤ 2 KB",
    ok(http.db_bytes_per_turn <= 2048),
  ],
  soak
    ? [
      "soak, 100,000 turns, one agent",
      `RSS +${soak.rss_growth_pct}% (10k→100k); median ${soak.median_ratio}× (100k vs 1k)`,
      "< 10%; ≤ 1.2×",
      ok(soak.rss_growth_pct < 10 && soak.median_ratio <= 1.2),
    ]
    : ["soak, 100,000 turns, one agent", "not run", "deno task bench:soak", "—"],
];

const load = Deno.loadavg().map((n) => n.toFixed(1)).join(" ");
const header = ["figure", "Talon", "floor / target", "ratio / verdict"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
console.log(
  `Talon performance, Deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} cores, load average ${load}; medians of ${runs} alternating runs`,
);
console.log(line(header));
console.log(line(widths.map((w) => "-".repeat(w))));
for (const row of rows) console.log(line(row));
console.log(
  `checks: routing per task ${
    JSON.stringify(route.per_task)
  }, audit verified ${route.audit_verified}; ` +
    `tool chain per task ${
      JSON.stringify(tools.per_task)
    }, audit verified ${tools.audit_verified}; ` +
    `HTTP per turn ${JSON.stringify(http.per_turn)}, audit verified ${http.audit_verified}`,
);
console.log(`HTTP run RSS over time (MiB): ${http.rss_over_time_mib.join(" ")}`);

await Deno.mkdir(RESULTS, { recursive: true });
await Deno.writeTextFile(
  `${RESULTS}latest.json`,
  JSON.stringify(
    {
      at: new Date().toISOString(),
      deno: Deno.version.deno,
      load_average: Deno.loadavg(),
      start,
      cli,
      per_agent: perAgent,
      wasm_call_us: wasm,
      routing: route,
      tool_chain: tools,
      sse: stream,
      http,
      soak: soak ?? null,
      table: rows,
    },
    null,
    2,
  ) + "\n",
);
console.error(`bench: wrote ${RESULTS}latest.json`);
