/**
 * The SQLite substrate: one `node:sqlite` connection in WAL mode with foreign
 * keys on and a busy timeout, a transaction helper that never half-applies,
 * and the statement cache every store module goes through.
 *
 * ## Prepared statements: {@link prepared}, never `db.prepare`
 *
 * A `StatementSync` holds native SQLite memory that V8 cannot see, so a
 * statement prepared per call is freed only when a garbage collection happens
 * to run — under load the process grew to hundreds of MB of native heap that
 * way. Store modules therefore never call `db.prepare`; they call
 * `prepared(db, sql)`, which prepares `sql` on that connection once and hands
 * back the same statement on every later call.
 *
 * Lifetime: the cache belongs to the `Database` object (a `WeakMap` entry).
 * `db.close()` finalises every statement SQLite still holds, and the cache
 * goes with the `Database` object when it is collected; nothing needs
 * dropping by hand.
 *
 * The rule that keeps the cache bounded: the SQL text comes from a fixed set
 * of strings in the source. Never interpolate values (bind them with `?`);
 * pass a list as one JSON parameter (`x IN (SELECT value FROM json_each(?))`)
 * rather than a placeholder per element; optional filters may pick among a
 * few fixed variants. A statement must not be shared by two open iterators
 * (`iterate()` walks the statement's own cursor): one that iterates gets its
 * own statement from {@link preparedOnce}.
 *
 * @module
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";

/** The database handle every store module takes. */
export type Database = DatabaseSync;

/**
 * Opens (creating if needed) the database at `path` with Talon's pragmas.
 * The file and its WAL and SHM files are owner-only (0600): created so, and
 * narrowed if an older data dir left them wider.
 */
export function openDatabase(path: string): Database {
  const onDisk = path !== ":memory:" && !path.startsWith("file:");
  if (onDisk) {
    Deno.openSync(path, { create: true, write: true, mode: 0o600 }).close();
    ownerOnly(path);
  }
  const db = new DatabaseSync(path, { enableForeignKeyConstraints: true });
  db.exec("PRAGMA journal_mode = WAL");
  if (onDisk) {
    // SQLite gives the WAL and SHM files the database's mode; an old pair keeps its own.
    for (const suffix of ["-wal", "-shm"]) ownerOnly(path + suffix);
  }
  // NORMAL in WAL survives process crashes (kill -9); only an OS crash or
  // power loss can drop the last commits, never corrupt the file.
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA busy_timeout = 5000");
  db.exec("PRAGMA wal_autocheckpoint = 10000");
  db.exec("PRAGMA foreign_keys = ON");
  return db;
}

/** Narrows `path` to owner read/write; a missing file or a platform without modes is fine. */
function ownerOnly(path: string): void {
  if (Deno.build.os === "windows") return;
  try {
    if (((Deno.statSync(path).mode ?? 0) & 0o077) !== 0) Deno.chmodSync(path, 0o600);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/**
 * The most statements one connection keeps. Talon's store needs about a
 * hundred; past this the oldest is dropped, a safety net against SQL text
 * that breaks the fixed-set rule, not a working limit.
 */
export const MAX_CACHED_STATEMENTS = 512;

const caches = new WeakMap<Database, Map<string, StatementSync>>();

/**
 * The statement for `sql` on `db`, prepared on first use and reused for the
 * connection's lifetime. `sql` must come from a fixed set of strings (see the
 * module doc); bind values as parameters.
 */
export function prepared(db: Database, sql: string): StatementSync {
  let cache = caches.get(db);
  if (cache === undefined) {
    cache = new Map();
    caches.set(db, cache);
  }
  let statement = cache.get(sql);
  if (statement === undefined) {
    statement = db.prepare(sql);
    if (cache.size >= MAX_CACHED_STATEMENTS) cache.delete(cache.keys().next().value!);
    cache.set(sql, statement);
  }
  return statement;
}

/** Number of statements cached for `db` (for tests and diagnostics). */
export function cachedStatementCount(db: Database): number {
  return caches.get(db)?.size ?? 0;
}

/**
 * A statement of its own, not cached: only for `iterate()`, whose cursor a
 * shared statement would lose to the next caller. Rare by design.
 */
export function preparedOnce(db: Database, sql: string): StatementSync {
  return db.prepare(sql);
}

/**
 * Runs `fn` inside `BEGIN IMMEDIATE … COMMIT`, rolling back on any throw.
 * Nested calls join the outer transaction.
 */
export function transaction<T>(db: Database, fn: () => T): T {
  if (db.isTransaction) return fn();
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = fn();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}

/** The current time as an ISO-8601 UTC string, the format every table uses. */
export function nowIso(): string {
  return new Date().toISOString();
}
