/**
 * Whole-process benchmark: cold start (spawn → first `/api/health` answer)
 * and resident memory of `talon serve`, idle and with 1,000 agents, as
 * ratios against a bare `Deno.serve` measured in the same run. Loopback
 * only; stops by itself. `deno run -A bench/whole_process.ts [runs]`
 */
const ROOT = new URL("../", import.meta.url).pathname;
const RUNS = Number(Deno.args[0] ?? 5);

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

function rssKiB(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
}

async function waitForHealth(url: string, deadline: number): Promise<void> {
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

interface Sample {
  startMs: number;
  idleKiB: number;
}

async function measure(
  args: (port: number, dir: string) => string[],
): Promise<Sample & { child: Deno.ChildProcess; port: number; dir: string }> {
  const port = freePort();
  const dir = await Deno.makeTempDir();
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: args(port, dir),
    cwd: ROOT,
    stdout: "null",
    stderr: "null",
  }).spawn();
  await waitForHealth(`http://127.0.0.1:${port}/api/health`, started + 30_000);
  const startMs = performance.now() - started;
  await new Promise((r) => setTimeout(r, 1000));
  return { startMs, idleKiB: rssKiB(child.pid), child, port, dir };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const floor: Sample[] = [];
const talon: Sample[] = [];
let perAgentBytes = 0;
for (let i = 0; i < RUNS; i++) {
  const f = await measure((port) => ["run", "-A", "bench/floor_server.ts", String(port)]);
  floor.push(f);
  f.child.kill("SIGTERM");
  await f.child.status;
  await Deno.remove(f.dir, { recursive: true });

  const t = await measure((port, dir) => [
    "run",
    "-A",
    "--unstable-no-legacy-abort",
    "main.ts",
    "serve",
    "--port",
    String(port),
    "--data-dir",
    dir,
    "--log-level",
    "error",
  ]);
  talon.push(t);
  if (i === 0) {
    const info = JSON.parse(await Deno.readTextFile(`${t.dir}/server.json`));
    const headers = {
      authorization: `Bearer ${info.credential}`,
      "content-type": "application/json",
    };
    for (let a = 0; a < 1000; a++) {
      const res = await fetch(`http://127.0.0.1:${t.port}/api/agents`, {
        method: "POST",
        headers,
        body: JSON.stringify({ name: `agent-${a}` }),
      });
      await res.body?.cancel();
    }
    await new Promise((r) => setTimeout(r, 500));
    perAgentBytes = ((rssKiB(t.child.pid) - t.idleKiB) * 1024) / 1000;
  }
  t.child.kill("SIGTERM");
  await t.child.status;
  await Deno.remove(t.dir, { recursive: true });
}

const floorStart = median(floor.map((s) => s.startMs));
const talonStart = median(talon.map((s) => s.startMs));
const floorRss = median(floor.map((s) => s.idleKiB)) / 1024;
const talonRss = median(talon.map((s) => s.idleKiB)) / 1024;
console.log(`whole-process benchmark, median of ${RUNS} runs (Deno ${Deno.version.deno})`);
console.log(
  `cold start to first /api/health: floor ${floorStart.toFixed(0)} ms, talon ${
    talonStart.toFixed(0)
  } ms, ratio ${(talonStart / floorStart).toFixed(2)}x`,
);
console.log(
  `idle RSS: floor ${floorRss.toFixed(1)} MiB, talon ${talonRss.toFixed(1)} MiB, ratio ${
    (talonRss / floorRss).toFixed(2)
  }x`,
);
console.log(`RSS per spawned agent (1,000 agents): ${(perAgentBytes / 1024).toFixed(1)} KiB`);
