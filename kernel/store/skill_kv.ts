/**
 * The `skill_kv` table: what skill plugins keep between calls through the
 * `kv_get` / `kv_set` host functions, one namespace per skill.
 *
 * @module
 */
import { type Database, nowIso, prepared } from "./database.ts";

/** The value of `key` in `skill`'s namespace, if set. */
export function skillKvGet(db: Database, skill: string, key: string): string | undefined {
  const row = prepared(db, "SELECT value FROM skill_kv WHERE skill = ? AND key = ?").get(
    skill,
    key,
  ) as { value: string } | undefined;
  return row?.value;
}

/** Sets `key` in `skill`'s namespace. */
export function skillKvSet(db: Database, skill: string, key: string, value: string): void {
  prepared(
    db,
    `INSERT INTO skill_kv (skill, key, value, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (skill, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(skill, key, value, nowIso());
}

/** Deletes every key of `skill`; returns how many. */
export function skillKvClear(db: Database, skill: string): number {
  return Number(prepared(db, "DELETE FROM skill_kv WHERE skill = ?").run(skill).changes);
}
