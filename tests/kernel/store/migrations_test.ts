import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { type Migration, MIGRATIONS } from "../../../migrations/mod.ts";
import { openDatabase } from "../../../kernel/store/database.ts";
import { migrate, schemaVersion } from "../../../kernel/store/migrations.ts";
import { boot, talonError, withTempDir } from "../fixtures.ts";

const MIGRATIONS_DIR = new URL("../../../migrations/", import.meta.url);

function tableExists(db: DatabaseSync, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
    .get(name) !== undefined;
}

function withMemoryDb(fn: (db: DatabaseSync) => void): void {
  const db = openDatabase(":memory:");
  try {
    fn(db);
  } finally {
    db.close();
  }
}

Deno.test("every migrations/NNNN_*.sql file is listed in MIGRATIONS, in order", async () => {
  const files: string[] = [];
  for await (const entry of Deno.readDir(MIGRATIONS_DIR)) {
    if (entry.isFile && entry.name.endsWith(".sql")) files.push(entry.name);
  }
  files.sort();
  assert.ok(files.length > 0, "no migration files found");
  for (const file of files) {
    assert.match(file, /^\d{4}_[a-z0-9_]+\.sql$/, `badly named migration ${file}`);
  }
  assert.deepEqual(MIGRATIONS.map((m) => `${m.name}.sql`), files);
  for (const [i, migration] of MIGRATIONS.entries()) {
    // Gaps are allowed (branches reserve numbers and merge in any order); order is not.
    if (i > 0) {
      assert.ok(migration.version > MIGRATIONS[i - 1]!.version, `${migration.name} out of order`);
    }
    assert.equal(migration.version, Number(migration.name.slice(0, 4)));
    const text = await Deno.readTextFile(new URL(`${migration.name}.sql`, MIGRATIONS_DIR));
    assert.equal(migration.sql, text, `${migration.name} embeds stale SQL`);
  }
});

Deno.test("migrate() brings a fresh database to the latest version", () => {
  withMemoryDb((db) => {
    assert.equal(schemaVersion(db), 0);
    const report = migrate(db, MIGRATIONS);
    const latest = MIGRATIONS.at(-1)!.version;
    assert.deepEqual(report, {
      from: 0,
      to: latest,
      applied: MIGRATIONS.map((m) => m.name),
    });
    assert.equal(schemaVersion(db), latest);
    for (const table of ["agents", "turns", "messages", "events", "api_tokens"]) {
      assert.ok(tableExists(db, table), table);
    }
    const rows = db.prepare("SELECT version, name FROM schema_migrations ORDER BY version")
      .all();
    assert.deepEqual(
      rows.map((r) => ({ ...r })),
      MIGRATIONS.map((m) => ({ version: m.version, name: m.name })),
    );
  });
});

Deno.test("migrate() run again is a no-op", () => {
  withMemoryDb((db) => {
    migrate(db, MIGRATIONS);
    const latest = MIGRATIONS.at(-1)!.version;
    assert.deepEqual(migrate(db, MIGRATIONS), { from: latest, to: latest, applied: [] });
    assert.equal(schemaVersion(db), latest);
  });
});

Deno.test("migrate() applies only the migrations above the current version", () => {
  withMemoryDb((db) => {
    const list: Migration[] = [
      { version: 1, name: "0001_a", sql: "CREATE TABLE a (x INTEGER)" },
      { version: 2, name: "0002_b", sql: "CREATE TABLE b (x INTEGER)" },
    ];
    assert.deepEqual(migrate(db, list.slice(0, 1)).applied, ["0001_a"]);
    assert.deepEqual(migrate(db, list), { from: 1, to: 2, applied: ["0002_b"] });
    assert.ok(tableExists(db, "b"));
  });
});

Deno.test("migrate() applies a lower-numbered migration merged after a higher one", () => {
  withMemoryDb((db) => {
    const three: Migration = { version: 3, name: "0003_c", sql: "CREATE TABLE c (x INTEGER)" };
    const four: Migration = { version: 4, name: "0004_d", sql: "CREATE TABLE d (x INTEGER)" };
    assert.deepEqual(migrate(db, [four]).applied, ["0004_d"]);
    assert.deepEqual(migrate(db, [three, four]), { from: 4, to: 4, applied: ["0003_c"] });
    assert.ok(tableExists(db, "c"));
    assert.deepEqual(migrate(db, [three, four]).applied, []);
  });
});

Deno.test("migrate() refuses a database newer than the binary with database_too_new", () => {
  withMemoryDb((db) => {
    migrate(db, MIGRATIONS);
    const future = MIGRATIONS.at(-1)!.version + 1;
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)")
      .run(future, "9999_future", new Date().toISOString());
    assert.throws(
      () => migrate(db, MIGRATIONS),
      talonError("database_too_new", new RegExp(`${future}`)),
    );
  });
});

Deno.test("migrate() rolls back a failing migration entirely", () => {
  withMemoryDb((db) => {
    const list: Migration[] = [
      { version: 1, name: "0001_ok", sql: "CREATE TABLE ok (x INTEGER)" },
      {
        version: 2,
        name: "0002_broken",
        sql: "CREATE TABLE half (x INTEGER);\nCREATE TABLE oops (x INTEGR NOT NULL) STRICT;",
      },
    ];
    assert.throws(
      () => migrate(db, list),
      talonError("migration_failed", /0002_broken.*rolled back/),
    );
    assert.ok(tableExists(db, "ok"), "the good migration before it stays applied");
    assert.ok(!tableExists(db, "half"), "the failed migration's first statement was rolled back");
    assert.equal(schemaVersion(db), 1);
    assert.equal(db.isTransaction, false);
    // Fixing the migration lets it apply.
    list[1] = { ...list[1]!, sql: "CREATE TABLE half (x INTEGER)" };
    assert.deepEqual(migrate(db, list).applied, ["0002_broken"]);
  });
});

Deno.test("bootKernel() refuses a data dir whose database is too new, and releases it", async () => {
  await withTempDir(async (dir) => {
    const db = openDatabase(`${dir}/talon.db`);
    migrate(db, MIGRATIONS);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)")
      .run(999, "0999_future", new Date().toISOString());
    db.close();
    await assert.rejects(boot(dir), talonError("database_too_new", /999/));
    // The lock and the database were released: fixing the file lets it boot.
    const fix = new DatabaseSync(`${dir}/talon.db`);
    fix.exec("DELETE FROM schema_migrations WHERE version = 999");
    fix.close();
    const kernel = await boot(dir);
    assert.equal(kernel.schemaVersion, MIGRATIONS.at(-1)!.version);
    await kernel.close();
  });
});

Deno.test("bootKernel() creates and migrates the database in a new data dir", async () => {
  await withTempDir(async (dir) => {
    const dataDir = `${dir}/nested/data`;
    const kernel = await boot(dataDir);
    try {
      assert.equal(kernel.schemaVersion, MIGRATIONS.at(-1)!.version);
      assert.equal((await Deno.stat(dataDir)).mode! & 0o777, 0o700);
      assert.ok((await Deno.stat(`${dataDir}/talon.db`)).isFile);
    } finally {
      await kernel.close();
    }
  });
});
