/**
 * Shared pieces of the whole-process benchmarks: free loopback ports, a
 * process's resident memory, waiting for `/api/health`, spawning
 * `talon serve` and the floor, medians and percentiles.
 *
 * @module
 */

/** The repository root (benchmarks spawn `main.ts` from here). */
export const ROOT: string = new URL("../", import.meta.url).pathname;

/** A loopback port nothing listens on right now. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Resident memory of process `pid` in KiB (Linux /proc). */
export function rssKiB(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
}

/** Polls `url` until it answers 200 or `deadline` (performance.now()) passes. */
export async function waitForHealth(url: string, deadline: number): Promise<void> {
  while (performance.now() < deadline) {
    try {
      const res = await fetch(url);
      await res.body?.cancel();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`no answer from ${url}`);
}

/** The median of `values` (upper median for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The `p`-th percentile (0–100) of `values`, nearest rank. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** The flags `deno task start` runs `main.ts` with (from deno.json), without the script. */
export function startFlags(): string[] {
  const config = JSON.parse(Deno.readTextFileSync(`${ROOT}deno.json`));
  const command = config.tasks.start.command as string;
  const args = command.split(/\s+/);
  return args.slice(2, args.indexOf("main.ts"));
}

/** A spawned server: its process, port and data dir. */
export interface Served {
  child: Deno.ChildProcess;
  port: number;
  dir: string;
  startMs: number;
  url: string;
  /** Stops the process and removes its data dir (unless `keep`). */
  stop(keep?: boolean): Promise<void>;
}

/** Spawns `args(port, dir)` under `deno` and waits for its first 200 from `/api/health`. */
export async function serve(
  args: (port: number, dir: string) => string[],
  options: { dir?: string; env?: Record<string, string> } = {},
): Promise<Served> {
  const port = freePort();
  const dir = options.dir ?? await Deno.makeTempDir({ prefix: "talon-bench-" });
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: args(port, dir),
    cwd: ROOT,
    env: options.env,
    stdout: "null",
    stderr: "null",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(`${url}/api/health`, started + 60_000);
  return {
    child,
    port,
    dir,
    url,
    startMs: performance.now() - started,
    async stop(keep = false) {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      await child.status;
      if (!keep) await Deno.remove(dir, { recursive: true });
    },
  };
}

/** `talon serve` on `dir` with the start task's permission flags. */
export function talonServeArgs(port: number, dir: string): string[] {
  return [
    "run",
    ...startFlags().map((f) =>
      f.startsWith("--allow-read=") || f.startsWith("--allow-write=")
        ? f.replaceAll("./data", dir)
        : f
    ),
    "main.ts",
    "serve",
    "--port",
    String(port),
    "--data-dir",
    dir,
    "--log-level",
    "error",
  ];
}

/** The floor: a bare `Deno.serve` (bench/floor_server.ts). */
export function floorArgs(port: number): string[] {
  return ["run", "--allow-net=127.0.0.1", "bench/floor_server.ts", String(port)];
}

/** Samples `pid`'s RSS every `everyMs` until stopped; returns the samples (KiB). */
export function sampleRss(pid: number, everyMs = 250): { stop(): number[] } {
  const samples: number[] = [rssKiB(pid)];
  const timer = setInterval(() => {
    try {
      samples.push(rssKiB(pid));
    } catch { /* exited */ }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      try {
        samples.push(rssKiB(pid));
      } catch { /* exited */ }
      return samples;
    },
  };
}

/** Runs `n` async jobs with `concurrency` workers until done or `deadline` passes; returns how many finished. */
export async function pool(
  n: number,
  concurrency: number,
  deadline: number,
  job: (i: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < n && performance.now() < deadline) {
      await job(next++);
      done++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return done;
}

/** `server.json` of a running `talon serve` (polled: it is written just after the port opens). */
export async function serverCredential(dir: string): Promise<string> {
  const deadline = performance.now() + 30_000;
  for (;;) {
    try {
      return JSON.parse(await Deno.readTextFile(`${dir}/server.json`)).credential;
    } catch (error) {
      if (performance.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
