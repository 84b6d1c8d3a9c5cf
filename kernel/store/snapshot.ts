/**
 * SQLite side of backups: a consistent copy of a live database with
 * `VACUUM INTO`, and a read-only look at a database file (integrity, schema
 * version) before it is restored.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { type Database, prepared } from "./database.ts";

/** Writes a consistent copy of `db` into `path` (a new or empty file). */
export function vacuumInto(db: Database, path: string): void {
  prepared(db, "VACUUM INTO ?").run(path);
}

/** What a database file holds, as far as a restore cares. */
export interface DatabaseFileInfo {
  /** `PRAGMA integrity_check` rows: `["ok"]` for a sound file. */
  integrity: string[];
  /** Highest applied migration, or undefined when it has no `schema_migrations`. */
  schemaVersion: number | undefined;
  /** Rows of `agents`, or undefined when it has no such table. */
  agents: number | undefined;
}

/**
 * Opens `path` read-only and inspects it. Throws when it is not a SQLite
 * database (the caller words the error).
 */
export function inspectDatabaseFile(path: string): DatabaseFileInfo {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const integrity = (prepared(db, "PRAGMA integrity_check").all() as {
      integrity_check: string;
    }[]).map((row) => row.integrity_check);
    if (integrity.length !== 1 || integrity[0] !== "ok") {
      return { integrity, schemaVersion: undefined, agents: undefined };
    }
    const tables = new Set(
      (prepared(db, "SELECT name FROM sqlite_schema WHERE type = 'table'").all() as {
        name: string;
      }[]).map((row) => row.name),
    );
    const schemaVersion = tables.has("schema_migrations")
      ? (prepared(db, "SELECT max(version) AS v FROM schema_migrations").get() as {
        v: number | null;
      }).v ?? 0
      : undefined;
    const agents = tables.has("agents")
      ? (prepared(db, "SELECT count(*) AS n FROM agents").get() as { n: number }).n
      : undefined;
    return { integrity, schemaVersion, agents };
  } finally {
    db.close();
  }
}

/** Folds the WAL of the database at `path` into its main file (before it is moved). */
export function checkpointFile(path: string): void {
  const db = new DatabaseSync(path);
  try {
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
  }
}
