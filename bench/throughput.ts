/**
 * In-process throughput: routing (a router agent's turn sends to one of 3
 * agents, which answers), a tool chain (model → in-process tool → result →
 * final answer) and SSE latency (driver token → bytes at a loopback client,
 * 100 streams). Every turn is a real one: messages, usage, events and audit
 * entries committed to SQLite, budget checks on. After each run the per-task
 * counts are asserted and the audit chain verified; both are printed.
 *
 *   deno run -A bench/throughput.ts [tasks=10000] [seconds=20]
 *
 * Bounded: each measurement stops at `tasks` or after `seconds`.
 *
 * @module
 */
import { startServer } from "../http/server.ts";
import { bootKernel, createLogger, type Kernel } from "../kernel/mod.ts";
import { percentile, pool } from "./lib.ts";

/** Config for every throughput kernel: caps set (so budget checks do work), queues deep. */
export const BENCH_CONFIG = `
[agents]
queue_limit = 10000

[budget]
usd_per_day = 1000000

[budget.agent]
tokens_per_hour = 1000000000
tool_calls_per_minute = 100000000

[http.rate_limit]
requests_per_minute = 1000000
per_ip_per_minute = 1000000
`;

/**
 * CPU time (user + system, ms) process `pid` has used so far (Linux /proc;
 * clock ticks of 10 ms). Under a shared, loaded box the CPU a task costs is
 * the figure that stays comparable; wall-clock rates follow the load.
 */
export function cpuMs(pid: number | "self" = "self"): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** What one throughput run measured and what it checked. */
export interface RunFigures {
  tasks: number;
  seconds: number;
  tasks_per_s: number;
  /** CPU time of this process (kernel and its in-process clients) per task. */
  cpu_ms_per_task: number;
  p50_ms: number;
  p99_ms: number;
  peak_rss_mib: number;
  /** Stored rows per task (events counted one per delivered event). */
  per_task: Record<string, number>;
  audit_verified: boolean;
  audit_entries: number;
}

async function withKernel<T>(fn: (kernel: Kernel, dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "talon-throughput-" });
  await Deno.writeTextFile(`${dir}/config.toml`, BENCH_CONFIG);
  const kernel = await bootKernel({
    dataDir: dir,
    env: () => undefined,
    log: createLogger("error", { sink: () => {} }),
  });
  try {
    return await fn(kernel, dir);
  } finally {
    await kernel.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const count = (kernel: Kernel, sql: string): number =>
  (kernel.db.prepare(sql).get() as { n: number }).n;

/**
 * Per-task stored counts since the marks in `before`, asserted against
 * `expected` (exact; each session compaction adds one usage row and one
 * audit entry), and the audit chain verified. Throws on a mismatch.
 */
export function checkPersisted(
  kernel: Kernel,
  tasks: number,
  expected: Record<string, number>,
  before: Record<string, number>,
): { per_task: Record<string, number>; audit_verified: boolean; audit_entries: number } {
  kernel.bus.flush();
  const now = storedCounts(kernel);
  const per_task: Record<string, number> = {};
  for (const key of Object.keys(now)) {
    per_task[key] = Number(((now[key]! - (before[key] ?? 0)) / tasks).toFixed(3));
  }
  // A session compaction (routers' sessions grow past the threshold) is one
  // more model call, metered and audited like any other.
  const compactions = per_task.compactions ?? 0;
  for (const [key, base] of Object.entries(expected)) {
    const want = key === "usage_rows" || key === "audit_entries"
      ? Number((base + compactions).toFixed(3))
      : base;
    if (per_task[key] !== want) {
      throw new Error(`expected ${want} ${key} per task, stored ${per_task[key]}`);
    }
  }
  const verdict = kernel.audit.verify();
  if (!verdict.ok) throw new Error(`audit verify failed: ${JSON.stringify(verdict)}`);
  return { per_task, audit_verified: verdict.ok, audit_entries: verdict.entries };
}

/** Stored messages, usage rows, events (delivered events, runs expanded), audit entries, turns, compactions. */
export function storedCounts(kernel: Kernel): Record<string, number> {
  return {
    turns: count(kernel, "SELECT count(*) AS n FROM turns WHERE status = 'completed'"),
    messages: count(kernel, "SELECT count(*) AS n FROM messages"),
    usage_rows: count(kernel, "SELECT count(*) AS n FROM usage"),
    events: count(
      kernel,
      `SELECT coalesce(sum(CASE WHEN last_id IS NULL THEN 1
         ELSE json_array_length(data, '$.parts') END), 0) AS n FROM events`,
    ),
    audit_entries: count(kernel, "SELECT count(*) AS n FROM audit_entries"),
    audit_messages: count(
      kernel,
      "SELECT count(*) AS n FROM audit_entries WHERE action = 'agent.message'",
    ),
    done_events: count(kernel, "SELECT count(*) AS n FROM events WHERE type = 'done'"),
    compactions: count(kernel, "SELECT count(*) AS n FROM session_summaries"),
  };
}

async function timedRun(
  tasks: number,
  concurrency: number,
  seconds: number,
  job: (i: number) => Promise<void>,
): Promise<{ done: number; seconds: number; latencies: number[]; peak: number; cpu: number }> {
  const latencies: number[] = [];
  const cpu0 = cpuMs();
  let peak = Deno.memoryUsage().rss;
  const sampler = setInterval(() => peak = Math.max(peak, Deno.memoryUsage().rss), 100);
  const started = performance.now();
  const done = await pool(tasks, concurrency, started + seconds * 1000, async (i) => {
    const t0 = performance.now();
    await job(i);
    latencies.push(performance.now() - t0);
  });
  const elapsed = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, Deno.memoryUsage().rss);
  return { done, seconds: elapsed, latencies, peak, cpu: cpuMs() - cpu0 };
}

function figures(
  run: { done: number; seconds: number; latencies: number[]; peak: number; cpu: number },
  checked: ReturnType<typeof checkPersisted>,
): RunFigures {
  return {
    tasks: run.done,
    seconds: Number(run.seconds.toFixed(2)),
    tasks_per_s: Math.round(run.done / run.seconds),
    cpu_ms_per_task: Number((run.cpu / run.done).toFixed(2)),
    p50_ms: Number(percentile(run.latencies, 50).toFixed(2)),
    p99_ms: Number(percentile(run.latencies, 99).toFixed(2)),
    peak_rss_mib: Math.round(run.peak / 1048576),
    ...checked,
  };
}

async function script(dir: string, name: string, body: unknown): Promise<string> {
  const path = `${dir}/${name}.json`;
  await Deno.writeTextFile(path, JSON.stringify(body));
  return `script:${path}`;
}

/** Routing: 10 router agents; each task's turn sends to one of 3 agents and returns its answer. */
export function routing(tasks: number, seconds: number): Promise<RunFigures> {
  return withKernel(async (kernel, dir) => {
    const workers = ["w0", "w1", "w2"];
    for (const name of workers) kernel.agents.spawn({ name });
    const model = await script(dir, "router", {
      turns: workers.map((w, i) => ({
        match: `^${i} `,
        steps: [
          { tool_calls: [{ name: "agent_send", args: { agent: w, message: "answer briefly" } }] },
          { text: `routed to ${w}` },
        ],
      })),
    });
    const routers = Array.from({ length: 10 }, (_, i) =>
      kernel.agents.spawn({
        name: `router${i}`,
        model,
        tools: ["agent_send"],
        capabilities: ["agent_message"],
      }).id);
    const before = storedCounts(kernel);
    const run = await timedRun(tasks, 100, seconds, async (i) => {
      const end = await kernel.agents.send(routers[i % routers.length]!, `${i % 3} task ${i}`)
        .result;
      if (end.status !== "completed") throw new Error(`routing task ${i}: ${end.status}`);
    });
    // Per task: the router's turn and the worker's turn. Audit: each turn's
    // message and tool call, plus two `taint.source` entries (the worker's
    // turn was started by another agent; the router took in its reply).
    return figures(
      run,
      checkPersisted(kernel, run.done, {
        turns: 2,
        messages: 6,
        usage_rows: 3,
        audit_entries: 6,
        done_events: 2,
      }, before),
    );
  });
}

/** Tool chain: model asks for `system_time`, the tool runs in-process, the model answers. */
export function toolChain(tasks: number, seconds: number): Promise<RunFigures> {
  return withKernel(async (kernel, dir) => {
    const model = await script(dir, "tools", {
      turns: [{
        match: ".",
        steps: [{ tool_calls: [{ name: "system_time", args: {} }] }, { text: "it is now" }],
      }],
    });
    const agents = Array.from(
      { length: 20 },
      (_, i) => kernel.agents.spawn({ name: `tool${i}`, model }).id,
    );
    const before = storedCounts(kernel);
    const run = await timedRun(tasks, 100, seconds, async (i) => {
      const end = await kernel.agents.send(agents[i % agents.length]!, `what time ${i}`).result;
      if (end.status !== "completed") throw new Error(`tool task ${i}: ${end.status}`);
    });
    return figures(
      run,
      checkPersisted(kernel, run.done, {
        turns: 1,
        messages: 4,
        usage_rows: 2,
        audit_entries: 3,
        done_events: 1,
      }, before),
    );
  });
}

/** SSE latency figures. */
export interface SseFigures {
  streams: number;
  tokens: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
}

/**
 * SSE: 100 concurrent `POST /api/agents/{id}/message/stream` over loopback
 * (20 agents); each token's latency is from the bus publishing it (the
 * moment the driver's delta is numbered and stored) to its bytes parsed at
 * the client. Client and server share this process.
 */
export function sse(streams = 100): Promise<SseFigures> {
  return withKernel(async (kernel) => {
    const server = await startServer(kernel, { host: "127.0.0.1", port: 0 });
    try {
      const { token } = await kernel.tokens.create({
        role: "operator",
        name: "bench",
        actor: "system",
      });
      for (let i = 0; i < 20; i++) kernel.agents.spawn({ name: `sse${i}` });
      const published = new Map<number, number>();
      const bus = kernel.bus;
      const publish = bus.publish.bind(bus);
      bus.publish = ((type, data, scope) => {
        const event = publish(type, data, scope);
        if (type === "token") published.set(event.id, performance.now());
        return event;
      }) as typeof bus.publish;
      const latencies: number[] = [];
      const decoder = new TextDecoder();
      await Promise.all(Array.from({ length: streams }, async (_, n) => {
        const res = await fetch(`${server.url}/api/agents/sse${n % 20}/message/stream`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({
            text: `stream ${n} asks for a reply long enough to carry a dozen token deltas`,
          }),
          signal: AbortSignal.timeout(120_000),
        });
        let buffer = "";
        for await (const chunk of res.body!) {
          const at = performance.now();
          buffer += decoder.decode(chunk, { stream: true });
          let end;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (!frame.includes("event: token")) continue;
            const id = Number(/^id: (\d+)$/m.exec(frame)?.[1]);
            const sent = published.get(id);
            if (sent !== undefined) latencies.push(at - sent);
          }
        }
      }));
      return {
        streams,
        tokens: latencies.length,
        p50_ms: Number(percentile(latencies, 50).toFixed(2)),
        p99_ms: Number(percentile(latencies, 99).toFixed(2)),
        max_ms: Number(Math.max(...latencies).toFixed(2)),
      };
    } finally {
      await server.shutdown();
    }
  });
}

if (import.meta.main) {
  const [tasks = 10_000, seconds = 20] = Deno.args.map(Number);
  console.log(JSON.stringify(
    {
      routing: await routing(tasks, seconds),
      tool_chain: await toolChain(tasks, seconds),
      sse: await sse(),
    },
    null,
    2,
  ));
}
