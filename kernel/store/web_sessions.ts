/**
 * The `web_sessions` table: dashboard sessions keyed by a hash of the cookie
 * value, each tied to the API token that logged in.
 *
 * @module
 */
import { type Database, prepared } from "./database.ts";
import type { Role } from "./tokens.ts";

/** A live session joined with its (unrevoked) token. */
export interface WebSessionRecord {
  token_id: string;
  role: Role;
  created_at: string;
  expires_at: string;
}

/** Inserts a session. */
export function insertWebSession(
  db: Database,
  session: { idHash: string; tokenId: string; createdAt: string; expiresAt: string },
): void {
  prepared(
    db,
    `INSERT INTO web_sessions (id_hash, token_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
  ).run(session.idHash, session.tokenId, session.createdAt, session.expiresAt);
}

/** The session with `idHash` if it has not expired at `now` and its token is not revoked. */
export function findWebSession(
  db: Database,
  idHash: string,
  now: string,
): WebSessionRecord | undefined {
  return prepared(
    db,
    `SELECT s.token_id, t.role, s.created_at, s.expires_at
       FROM web_sessions s JOIN api_tokens t ON t.id = s.token_id
      WHERE s.id_hash = ? AND s.expires_at > ? AND t.revoked_at IS NULL`,
  ).get(idHash, now) as WebSessionRecord | undefined;
}

/** Deletes one session; false when there was none. */
export function deleteWebSession(db: Database, idHash: string): boolean {
  const result = prepared(db, "DELETE FROM web_sessions WHERE id_hash = ?").run(idHash);
  return Number(result.changes) > 0;
}

/** Deletes every session of a token; returns how many. */
export function deleteWebSessionsOfToken(db: Database, tokenId: string): number {
  const result = prepared(db, "DELETE FROM web_sessions WHERE token_id = ?").run(tokenId);
  return Number(result.changes);
}

/** Deletes sessions that expired at or before `now`; returns how many. */
export function pruneWebSessions(db: Database, now: string): number {
  const result = prepared(db, "DELETE FROM web_sessions WHERE expires_at <= ?").run(now);
  return Number(result.changes);
}

/** Number of sessions stored for a token, expired or not. */
export function countWebSessionsOfToken(db: Database, tokenId: string): number {
  const row = prepared(db, "SELECT COUNT(*) AS n FROM web_sessions WHERE token_id = ?")
    .get(tokenId) as { n: number };
  return row.n;
}
