/**
 * How a CLI command reaches Talon (DESIGN.md, "CLI and a running server"):
 * through the HTTP API of a live server of the data dir when there is one,
 * else through an in-process kernel booted under the same lock.
 *
 * @module
 */
import {
  bootKernel,
  createLogger,
  denoEnv,
  ensureDataDir,
  findLiveServer,
  LogLevel,
  TalonError,
  tryLockDataDir,
} from "../kernel/mod.ts";
import { LocalClient, type TalonClient } from "./client.ts";
import { HttpClient } from "./http_client.ts";
import { UsageError } from "./io.ts";

/** Flags every command accepts. */
export interface GlobalOptions {
  dataDir?: string;
  config?: string;
  logLevel?: string;
  json: boolean;
}

/** The data dir: `--data-dir` > `TALON_DATA_DIR` > `./data`. */
export function resolveDataDir(globals: GlobalOptions): string {
  return globals.dataDir ?? denoEnv("TALON_DATA_DIR") ?? "./data";
}

/** The log level of CLI commands: flag > `TALON_LOG` > error (stderr stays for results). */
export function cliLogLevel(globals: GlobalOptions): LogLevel {
  const raw = globals.logLevel ?? denoEnv("TALON_LOG") ?? "error";
  const parsed = LogLevel.safeParse(raw);
  if (!parsed.success) {
    throw new UsageError(`--log-level must be one of debug, info, warn, error; got "${raw}"`);
  }
  return parsed.data;
}

const WAIT_MS = 10_000;

/** Runs `fn` with a client of the data dir's Talon, local or remote. */
export async function withClient<T>(
  globals: GlobalOptions,
  fn: (client: TalonClient) => Promise<T>,
): Promise<T> {
  const dataDir = resolveDataDir(globals);
  const level = cliLogLevel(globals);
  await ensureDataDir(dataDir);
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const live = await findLiveServer(dataDir);
    if (live) return await fn(new HttpClient(live.url, live.credential));
    const lock = await tryLockDataDir(dataDir);
    if (lock) {
      const kernel = await bootKernel({
        dataDir,
        configPath: globals.config,
        lock,
        log: createLogger(level),
        ephemeral: true,
      });
      const onSignal = () => void kernel.close("interrupted");
      Deno.addSignalListener("SIGINT", onSignal);
      try {
        return await fn(new LocalClient(kernel));
      } finally {
        Deno.removeSignalListener("SIGINT", onSignal);
        await kernel.close();
      }
    }
    if (Date.now() >= deadline) {
      throw new TalonError(
        "data_dir_locked",
        `another Talon process has held the data dir ${dataDir} for ${
          WAIT_MS / 1000
        } s without serving it; wait for it to finish or stop it`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
