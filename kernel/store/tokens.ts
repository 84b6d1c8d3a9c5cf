/**
 * The `api_tokens` table: hashed API tokens with a role; revocable.
 *
 * @module
 */
import type { Role } from "../types.ts";
import { type Database, nowIso, prepared } from "./database.ts";

export type { Role };

/** A stored token (never the token itself). */
export interface TokenRecord {
  id: string;
  name: string;
  role: Role;
  salt: string;
  hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** Inserts a token record. */
export function insertToken(
  db: Database,
  token: { id: string; name: string; role: Role; salt: string; hash: string },
): void {
  prepared(
    db,
    `INSERT INTO api_tokens (id, name, role, salt, hash, created_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(token.id, token.name, token.role, token.salt, token.hash, nowIso());
}

/** The token with `id`, revoked or not. */
export function getToken(db: Database, id: string): TokenRecord | undefined {
  return prepared(db, "SELECT * FROM api_tokens WHERE id = ?").get(id) as
    | TokenRecord
    | undefined;
}

/** Every token, newest first. */
export function listTokens(db: Database): TokenRecord[] {
  return prepared(db, "SELECT * FROM api_tokens ORDER BY created_at DESC")
    .all() as unknown as TokenRecord[];
}

/** Number of tokens not revoked. */
export function countActiveTokens(db: Database): number {
  const row = prepared(db, "SELECT COUNT(*) AS n FROM api_tokens WHERE revoked_at IS NULL")
    .get() as { n: number };
  return row.n;
}

/** Marks a token revoked; returns false when no such live token exists. */
export function revokeToken(db: Database, id: string): boolean {
  const result = prepared(
    db,
    "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
  ).run(nowIso(), id);
  return Number(result.changes) > 0;
}

/** Records a successful use. */
export function touchToken(db: Database, id: string): void {
  prepared(db, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?").run(
    nowIso(),
    id,
  );
}
