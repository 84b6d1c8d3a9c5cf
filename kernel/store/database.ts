/**
 * The SQLite substrate: one `node:sqlite` connection in WAL mode with foreign
 * keys on and a busy timeout, and a transaction helper that never half-applies.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";

/** The database handle every store module takes. */
export type Database = DatabaseSync;

/** Opens (creating if needed) the database at `path` with Talon's pragmas. */
export function openDatabase(path: string): Database {
  const db = new DatabaseSync(path, { enableForeignKeyConstraints: true });
  db.exec("PRAGMA journal_mode = WAL");
  // NORMAL in WAL survives process crashes (kill -9); only an OS crash or
  // power loss can drop the last commits, never corrupt the file.
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA busy_timeout = 5000");
  db.exec("PRAGMA foreign_keys = ON");
  return db;
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
