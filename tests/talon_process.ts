/**
 * Runs Talon as a real process for tests: the CLI once, or `serve` in the
 * background until the test stops it.
 *
 * @module
 */

/** The repository root (where deno.json lives). */
export const REPO_ROOT: string = new URL("../", import.meta.url).pathname;

/** Environment for child processes: no provider keys from the host. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env = Deno.env.toObject();
  for (const key of Object.keys(env)) {
    if (/^(OPENAI|ANTHROPIC|TALON)_/.test(key)) delete env[key];
  }
  return { ...env, NO_COLOR: "1", ...extra };
}

/** What a finished CLI run printed. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `talon <args>` as `deno task start` runs it, with piped output and no host keys. */
function talonCommand(
  args: string[],
  cwd = REPO_ROOT,
  env: Record<string, string> = {},
): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", "--unstable-no-legacy-abort", `${REPO_ROOT}main.ts`, ...args],
    cwd,
    env: cleanEnv(env),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  });
}

/** Runs `talon <args>` to completion; `env` adds variables to the clean environment. */
export async function runTalon(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliRun> {
  const out = await talonCommand(args, options.cwd, options.env).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** A `talon serve` child process. */
export interface ServeProcess {
  child: Deno.ChildProcess;
  /** stdout so far (the banner once `started` resolved). */
  banner: string;
  url: string;
  /** Sends a signal and waits for exit; returns the exit status and all stdout/stderr. */
  stop(signal: Deno.Signal): Promise<{ code: number; stdout: string; stderr: string }>;
}

/** Starts `talon serve --port 0` on `dataDir` and waits for its banner. */
export async function startServe(dataDir: string, extraArgs: string[] = []): Promise<ServeProcess> {
  const child = talonCommand(["serve", "--port", "0", "--data-dir", dataDir, ...extraArgs])
    .spawn();
  const stderrText = new Response(child.stderr).text();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let banner = "";
  while (!banner.includes("Press Ctrl+C")) {
    const { value, done } = await reader.read();
    if (done) {
      const status = await child.status;
      throw new Error(
        `serve exited ${status.code} before its banner:\n${banner}\n${await stderrText}`,
      );
    }
    banner += value;
  }
  const rest = (async () => {
    let text = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return text;
      text += value;
    }
  })();
  const url = /serving on (http:\/\/\S+)/.exec(banner)![1]!;
  return {
    child,
    banner,
    url,
    async stop(signal) {
      try {
        child.kill(signal);
      } catch {
        // already exited
      }
      const status = await child.status;
      return { code: status.code, stdout: banner + await rest, stderr: await stderrText };
    },
  };
}

/**
 * A task's permission flags for running in another directory: `deno task`
 * runs in the repository, so the source folders its `--allow-read` names
 * (`./kernel`, …) become the repository's, while `./data` stays the cwd's.
 */
export function inRepoReadFlags(flags: string[]): string[] {
  return flags.map((flag) => {
    if (!flag.startsWith("--allow-read=")) return flag;
    const paths = flag.slice("--allow-read=".length).split(",").map((p) =>
      p.startsWith("./") && p !== "./data" ? `${REPO_ROOT}${p.slice(2)}` : p
    );
    return `--allow-read=${paths.join(",")}`;
  });
}
