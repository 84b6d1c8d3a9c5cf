/**
 * Applies `migrations/NNNN_*.sql` in order, each in its own transaction and
 * recorded in `schema_migrations`; refuses a database newer than this binary.
 * A migration is applied when its version is not recorded yet, so one numbered
 * below a migration that was merged (and applied) first still runs.
 *
 * @module
 */
import { TalonError } from "../errors.ts";
import type { Migration } from "../../migrations/mod.ts";
import { type Database, nowIso, prepared, transaction } from "./database.ts";

/** What {@link migrate} did. */
export interface MigrationReport {
  /** Schema version before. */
  from: number;
  /** Schema version after. */
  to: number;
  /** Names of the migrations applied now. */
  applied: string[];
}

/** The highest applied schema version (0 for a new database). */
export function schemaVersion(db: Database): number {
  db.exec(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
       version INTEGER PRIMARY KEY,
       name TEXT NOT NULL,
       applied_at TEXT NOT NULL
     ) STRICT`,
  );
  const row = prepared(db, "SELECT MAX(version) AS v FROM schema_migrations")
    .get() as { v: number | null };
  return row.v ?? 0;
}

/** Brings the schema up to date: applies every migration not recorded yet. */
export function migrate(
  db: Database,
  migrations: readonly Migration[],
): MigrationReport {
  const from = schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (from > latest) {
    throw new TalonError(
      "database_too_new",
      `the database is at schema version ${from} but this Talon knows only up to ${latest}; run a newer Talon or restore a backup`,
      { details: { database: from, binary: latest } },
    );
  }
  const done = new Set(
    (prepared(db, "SELECT version FROM schema_migrations").all() as { version: number }[])
      .map((row) => row.version),
  );
  const applied: string[] = [];
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    try {
      transaction(db, () => {
        db.exec(migration.sql);
        prepared(db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)")
          .run(migration.version, migration.name, nowIso());
      });
    } catch (cause) {
      throw new TalonError(
        "migration_failed",
        `migration ${migration.name} failed and was rolled back: ${(cause as Error).message}`,
        { cause },
      );
    }
    applied.push(migration.name);
  }
  return { from, to: Math.max(from, latest), applied };
}
