/**
 * Whole-process figures, each against its floor measured in the same run,
 * alternating: cold start (spawn → first `/api/health` 200) and idle RSS of
 * `talon serve` vs a bare `Deno.serve` (bench/floor_server.ts); `talon
 * --version`/`--help` vs `deno run` of an empty file (wall time and peak
 * RSS); RSS per idle agent. Loopback only; stops by itself.
 *
 *   deno run -A bench/whole_process.ts [runs=5] [agents=10000]
 *
 * @module
 */
import {
  floorArgs,
  median,
  ROOT,
  rssKiB,
  serve,
  serverCredential,
  startFlags,
  talonServeArgs,
} from "./lib.ts";

/** Medians of cold start and idle RSS, Talon and floor. */
export interface StartFigures {
  runs: number;
  floor_start_ms: number;
  talon_start_ms: number;
  floor_idle_mib: number;
  talon_idle_mib: number;
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Cold start and idle RSS (1 s after the first health answer), alternating floor and Talon. */
export async function measureStart(runs: number): Promise<StartFigures> {
  const floor: { ms: number; kib: number }[] = [];
  const talon: { ms: number; kib: number }[] = [];
  for (let i = 0; i < runs; i++) {
    const f = await serve((port) => floorArgs(port));
    await settle(1000);
    floor.push({ ms: f.startMs, kib: rssKiB(f.child.pid) });
    await f.stop();
    const t = await serve(talonServeArgs);
    await settle(1000);
    talon.push({ ms: t.startMs, kib: rssKiB(t.child.pid) });
    await t.stop();
  }
  return {
    runs,
    floor_start_ms: median(floor.map((s) => s.ms)),
    talon_start_ms: median(talon.map((s) => s.ms)),
    floor_idle_mib: median(floor.map((s) => s.kib)) / 1024,
    talon_idle_mib: median(talon.map((s) => s.kib)) / 1024,
  };
}

/** Wall time and peak RSS of one short-lived command (GNU time). */
async function timed(args: string[]): Promise<{ ms: number; kib: number }> {
  const started = performance.now();
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "%M", Deno.execPath(), ...args],
    cwd: ROOT,
    stdout: "null",
    stderr: "piped",
  }).output();
  const ms = performance.now() - started;
  if (!out.success) throw new Error(`${args.join(" ")} failed`);
  const lines = new TextDecoder().decode(out.stderr).trim().split("\n");
  return { ms, kib: Number(lines.at(-1)) };
}

/** Medians of `talon --version`, `talon --help` and the floor, `deno run` of an empty file. */
export interface CliFigures {
  floor_ms: number;
  floor_mib: number;
  version_ms: number;
  version_mib: number;
  help_ms: number;
  help_mib: number;
}

/** `talon --version` and `--help` against `deno run` of an empty file, alternating. */
export async function measureCli(runs: number): Promise<CliFigures> {
  const empty = await Deno.makeTempFile({ suffix: ".ts" });
  const flags = startFlags();
  const rows: Record<"floor" | "version" | "help", { ms: number; kib: number }[]> = {
    floor: [],
    version: [],
    help: [],
  };
  try {
    for (let i = 0; i < runs; i++) {
      rows.floor.push(await timed(["run", empty]));
      rows.version.push(await timed(["run", ...flags, "main.ts", "--version"]));
      rows.help.push(await timed(["run", ...flags, "main.ts", "--help"]));
    }
  } finally {
    await Deno.remove(empty);
  }
  const ms = (k: keyof typeof rows) => median(rows[k].map((r) => r.ms));
  const mib = (k: keyof typeof rows) => median(rows[k].map((r) => r.kib)) / 1024;
  return {
    floor_ms: ms("floor"),
    floor_mib: mib("floor"),
    version_ms: ms("version"),
    version_mib: mib("version"),
    help_ms: ms("help"),
    help_mib: mib("help"),
  };
}

/** RSS per idle agent: (RSS with `count` agents − idle RSS) ÷ `count`, agents made over HTTP. */
export async function measurePerAgent(count: number): Promise<{ agents: number; bytes: number }> {
  const t = await serve(talonServeArgs);
  try {
    const credential = await serverCredential(t.dir);
    const headers = {
      authorization: `Bearer ${credential}`,
      "content-type": "application/json",
    };
    await settle(1000);
    const idle = rssKiB(t.child.pid);
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const a = next++;
        const res = await fetch(`${t.url}/api/agents`, {
          method: "POST",
          headers,
          body: JSON.stringify({ name: `agent-${a}` }),
        });
        await res.body?.cancel();
        if (res.status !== 201) throw new Error(`spawn ${a}: HTTP ${res.status}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    await settle(1000);
    return { agents: count, bytes: ((rssKiB(t.child.pid) - idle) * 1024) / count };
  } finally {
    await t.stop();
  }
}

if (import.meta.main) {
  const [runs = 5, agents = 10_000] = Deno.args.map(Number);
  console.log(JSON.stringify(
    {
      deno: Deno.version.deno,
      start: await measureStart(runs),
      cli: await measureCli(runs),
      per_agent: await measurePerAgent(agents),
    },
    null,
    2,
  ));
}
