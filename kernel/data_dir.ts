/**
 * The data dir: created 0700, guarded by an exclusive lock (`serve.lock`),
 * and holding `server.json` while `talon serve` runs so CLI commands can act
 * through it instead of opening the database themselves.
 *
 * @module
 */
import { join } from "node:path";
import { z } from "zod";
import { TalonError } from "./errors.ts";

/** File names inside the data dir. */
export const DATA_FILES = {
  database: "talon.db",
  config: "config.toml",
  lock: "serve.lock",
  server: "server.json",
  workspaces: "workspaces",
  auditAnchors: "audit-anchors.jsonl",
  identityKey: "identity.key",
} as const;

/** What a running server publishes for local CLI commands (mode 0600). */
export const ServerInfo = z.object({
  pid: z.number().int(),
  host: z.string(),
  port: z.number().int(),
  url: z.string(),
  credential: z.string(),
  started_at: z.string(),
  version: z.string(),
});
/** Contents of `server.json`. */
export type ServerInfo = z.infer<typeof ServerInfo>;

/** An exclusive hold on a data dir; `release()` gives it up. */
export interface DataDirLock {
  readonly path: string;
  release(): void;
}

/** Creates the data dir (mode 0700) if missing. */
export async function ensureDataDir(dir: string): Promise<void> {
  try {
    const info = await Deno.stat(dir);
    if (!info.isDirectory) {
      throw new TalonError(
        "invalid_config",
        `data dir ${dir} exists but is not a directory; pass another --data-dir`,
      );
    }
  } catch (cause) {
    if (!(cause instanceof Deno.errors.NotFound)) throw cause;
    await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
    await Deno.chmod(dir, 0o700);
  }
}

/**
 * Takes the data dir's exclusive lock, polling up to `waitMs` while another
 * process holds it. Returns undefined when it stays held.
 */
export async function tryLockDataDir(
  dir: string,
  options: { waitMs?: number } = {},
): Promise<DataDirLock | undefined> {
  const path = join(dir, DATA_FILES.lock);
  const file = await Deno.open(path, { read: true, write: true, create: true, mode: 0o600 });
  const deadline = Date.now() + (options.waitMs ?? 0);
  for (;;) {
    if (await file.tryLock(true)) break;
    if (Date.now() >= deadline) {
      file.close();
      return undefined;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      file.close();
    },
  };
}

/** Takes the lock or throws `data_dir_locked` saying what to do. */
export async function lockDataDir(
  dir: string,
  options: { waitMs?: number } = {},
): Promise<DataDirLock> {
  const lock = await tryLockDataDir(dir, options);
  if (!lock) {
    throw new TalonError(
      "data_dir_locked",
      `another Talon process is using the data dir ${dir}; stop it, or pass a different --data-dir`,
    );
  }
  return lock;
}

/** Writes `server.json` atomically with mode 0600. */
export async function writeServerInfo(dir: string, info: ServerInfo): Promise<void> {
  const path = join(dir, DATA_FILES.server);
  const tmp = `${path}.${crypto.randomUUID()}.tmp`;
  await Deno.writeTextFile(tmp, JSON.stringify(info, null, 2) + "\n", { mode: 0o600 });
  await Deno.chmod(tmp, 0o600);
  await Deno.rename(tmp, path);
}

/** Removes `server.json` if present; any failure but its absence is thrown. */
export async function removeServerInfo(dir: string): Promise<void> {
  try {
    await Deno.remove(join(dir, DATA_FILES.server));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/**
 * Reads `server.json`: undefined when it is absent, or holds something other
 * than what `serve` writes (no server wrote it). Any other failure to read it
 * (a permission error, say) is thrown: it does not mean there is no server.
 */
export async function readServerInfo(dir: string): Promise<ServerInfo | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(join(dir, DATA_FILES.server));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = ServerInfo.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The running server of this data dir: `server.json` present and the lock
 * held by someone. A leftover `server.json` with a free lock is stale.
 */
export async function findLiveServer(dir: string): Promise<ServerInfo | undefined> {
  const info = await readServerInfo(dir);
  if (!info) return undefined;
  const probe = await tryLockDataDir(dir);
  if (probe) {
    probe.release();
    return undefined;
  }
  return info;
}

/** Path of a file inside the data dir. */
export function dataPath(dir: string, name: string): string {
  return join(dir, name);
}
