/**
 * Backup and restore of the database. A backup is a consistent snapshot
 * taken with `VACUUM INTO` while the kernel keeps running: it is written
 * inside the data dir (mode 0600), opened, and its name removed at once, so
 * the open file is all that is left of it. A restore runs only with the data
 * dir's lock free (no server), checks the file's integrity and schema
 * version first, and keeps the replaced database beside the new one.
 *
 * @module
 */
import { MIGRATIONS } from "../migrations/mod.ts";
import { DATA_FILES, dataPath, ensureDataDir, findLiveServer, tryLockDataDir } from "./data_dir.ts";
import { TalonError } from "./errors.ts";
import { checkpointFile, type Database, inspectDatabaseFile, vacuumInto } from "./store/mod.ts";

/** An open snapshot: read it, then close it (its name is already gone). */
export interface BackupSnapshot {
  file: Deno.FsFile;
  size: number;
  /** A file name to offer for it, `talon-backup-<time>.db`. */
  name: string;
}

/** A file-name-safe UTC timestamp, `20260102T030405Z`. */
function stamp(): string {
  return new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
}

/** Takes a consistent snapshot of `db` inside `dataDir` and opens it; its name is removed. */
export async function openSnapshot(db: Database, dataDir: string): Promise<BackupSnapshot> {
  const path = dataPath(dataDir, `backup-${crypto.randomUUID()}.db.tmp`);
  try {
    // An empty file made with mode 0600 first: VACUUM INTO fills it, others never read it.
    (await Deno.open(path, { write: true, createNew: true, mode: 0o600 })).close();
    await Deno.chmod(path, 0o600);
    vacuumInto(db, path);
    const file = await Deno.open(path, { read: true });
    const size = (await file.stat()).size;
    return { file, size, name: `talon-backup-${stamp()}.db` };
  } finally {
    await Deno.remove(path).catch(() => {});
  }
}

/**
 * Copies a snapshot to `target` (a new file, mode 0600); a partial file is
 * removed on failure. `exists` when `target` is already there.
 */
export async function writeBackupFile(
  source: ReadableStream<Uint8Array>,
  target: string,
): Promise<number> {
  let out: Deno.FsFile;
  try {
    out = await Deno.open(target, { write: true, createNew: true, mode: 0o600 });
  } catch (cause) {
    await source.cancel();
    if (cause instanceof Deno.errors.AlreadyExists) {
      throw new TalonError(
        "invalid_input",
        `${target} already exists; choose a new file name or remove it first`,
        { cause },
      );
    }
    throw new TalonError(
      "invalid_input",
      `cannot create ${target}: ${(cause as Error).message}`,
      { cause },
    );
  }
  let bytes = 0;
  try {
    await Deno.chmod(target, 0o600);
    await source.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          bytes += chunk.byteLength;
          controller.enqueue(chunk);
        },
      }),
    ).pipeTo(out.writable);
  } catch (error) {
    await Deno.remove(target).catch(() => {});
    throw error;
  }
  return bytes;
}

/** What {@link checkBackup} found. */
export interface BackupCheck {
  schema_version: number;
  agents: number;
}

/**
 * Checks that `path` is a sound Talon database this binary can run: SQLite's
 * `integrity_check` says ok and its schema version is not newer than ours.
 * `invalid_input` or `database_too_new` saying what is wrong otherwise.
 */
export function checkBackup(path: string): BackupCheck {
  let info: ReturnType<typeof inspectDatabaseFile>;
  try {
    info = inspectDatabaseFile(path);
  } catch (cause) {
    throw new TalonError(
      "invalid_input",
      `${path} is not a readable SQLite database (${
        (cause as Error).message
      }); pass a file written by \`talon backup\``,
      { cause },
    );
  }
  if (info.integrity.length !== 1 || info.integrity[0] !== "ok") {
    throw new TalonError(
      "invalid_input",
      `${path} failed SQLite's integrity check (${
        info.integrity.slice(0, 3).join("; ")
      }); nothing was restored`,
      { details: { integrity: info.integrity.slice(0, 20) } },
    );
  }
  if (info.schemaVersion === undefined || info.agents === undefined) {
    throw new TalonError(
      "invalid_input",
      `${path} is a SQLite database but not a Talon one (no schema_migrations or agents table)`,
    );
  }
  const latest = MIGRATIONS.at(-1)!.version;
  if (info.schemaVersion > latest) {
    throw new TalonError(
      "database_too_new",
      `${path} is at schema version ${info.schemaVersion} but this Talon knows only up to ${latest}; restore it with a newer Talon`,
      { details: { backup: info.schemaVersion, binary: latest } },
    );
  }
  return { schema_version: info.schemaVersion, agents: info.agents };
}

/** What {@link restoreDatabase} did. */
export interface RestoreReport extends BackupCheck {
  restored_from: string;
  /** Where the database it replaced was kept (null when there was none). */
  replaced: string | null;
}

/**
 * Replaces the data dir's database with the backup at `file`. Refused while
 * a server runs or anything holds the data dir; the file is checked first
 * ({@link checkBackup}) and nothing changes when it fails. The replaced
 * database is kept as `talon.db.replaced-<time>`.
 */
export async function restoreDatabase(dataDir: string, file: string): Promise<RestoreReport> {
  try {
    if (!(await Deno.stat(file)).isFile) throw new Error("not a regular file");
  } catch (cause) {
    throw new TalonError("invalid_input", `cannot read ${file}: ${(cause as Error).message}`, {
      cause,
    });
  }
  await ensureDataDir(dataDir);
  const live = await findLiveServer(dataDir);
  const lock = live ? undefined : await tryLockDataDir(dataDir);
  if (!lock) {
    throw new TalonError(
      "data_dir_locked",
      `a Talon server (or another command) is using the data dir ${dataDir}; stop it, then run \`talon restore\` again`,
    );
  }
  try {
    const check = checkBackup(file);
    const target = dataPath(dataDir, DATA_FILES.database);
    const incoming = `${target}.restore-${crypto.randomUUID()}.tmp`;
    await Deno.copyFile(file, incoming);
    await Deno.chmod(incoming, 0o600);
    let replaced: string | null = null;
    try {
      checkBackup(incoming);
      if (await exists(target)) {
        // Fold the WAL into the file, so the kept copy is whole by itself.
        checkpointFile(target);
        replaced = `${target}.replaced-${stamp()}`;
        await Deno.rename(target, replaced);
        for (const suffix of ["-wal", "-shm"]) await Deno.remove(target + suffix).catch(() => {});
      }
      await Deno.rename(incoming, target);
    } catch (error) {
      await Deno.remove(incoming).catch(() => {});
      throw error;
    }
    return { ...check, restored_from: file, replaced };
  } finally {
    lock.release();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
