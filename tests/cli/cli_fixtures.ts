/**
 * Helpers for CLI tests: run `runCli` capturing its output, boot a quiet
 * kernel, and serve a data dir the way `talon serve` does (server.json with a
 * local credential) so the CLI goes through HTTP.
 *
 * @module
 */
import { serverInfo } from "../../cli/commands/serve.ts";
import { runCli } from "../../cli/main.ts";
import { startServer } from "../../http/server.ts";
import {
  bootKernel,
  createLogger,
  type Kernel,
  randomCredential,
  removeServerInfo,
  writeServerInfo,
} from "../../kernel/mod.ts";

/** What one CLI run printed, and its exit code. */
export interface Captured {
  code: number;
  out: string;
  err: string;
}

/** Runs `talon <args> --data-dir <dataDir>` in-process. */
export async function talon(dataDir: string, ...args: string[]): Promise<Captured> {
  let out = "";
  let err = "";
  const code = await runCli([...args, "--data-dir", dataDir], {
    out: (t) => (out += t),
    err: (t) => (err += t),
  });
  return { code, out, err };
}

/** Boots a kernel on `dataDir` with no environment and a silent logger. */
export function bootQuiet(dataDir: string): Promise<Kernel> {
  return bootKernel({
    dataDir,
    env: () => undefined,
    log: createLogger("error", { sink: () => {} }),
  });
}

/**
 * Serves `kernel` on loopback and writes the data dir's `server.json`, so CLI
 * commands on it act through HTTP. The returned function stops it all,
 * closing the kernel.
 */
export async function serveDataDir(kernel: Kernel, dataDir: string): Promise<() => Promise<void>> {
  const credential = randomCredential();
  const server = await startServer(kernel, {
    host: "127.0.0.1",
    port: 0,
    localCredential: credential,
  });
  await writeServerInfo(dataDir, serverInfo(kernel, server, credential));
  return async () => {
    await removeServerInfo(dataDir);
    const closing = server.shutdown();
    await kernel.close();
    await closing;
  };
}
