/**
 * Dashboard sessions: logging in with an API token yields an opaque random
 * session id for a cookie. Only its SHA-256 is stored (the id has 256 bits of
 * entropy, so a fast hash suffices); the session carries its token's current
 * role and ends on logout, at expiry, or when the token is revoked.
 *
 * @module
 */
import { randomBytes, sha256Base64Url, toBase64Url } from "./sha256.ts";
import { TalonError } from "../errors.ts";
import * as store from "../store/mod.ts";
import type { AuditChain } from "./audit.ts";

/** A session as its holder sees it. */
export interface WebSession {
  token_id: string;
  role: store.Role;
  expires_at: string;
}

/** A new session: `id` goes into the cookie and is never stored. */
export interface NewWebSession extends WebSession {
  id: string;
}

/** Options for {@link WebSessionService}. */
export interface WebSessionOptions {
  /** Lifetime of a session, hours. */
  ttlHours: number;
  /** Where logins and logouts are recorded. */
  audit: Pick<AuditChain, "append">;
  /** Milliseconds since the epoch; tests pass a fake clock. */
  now?: () => number;
}

/** Creates, resolves and ends dashboard sessions. */
export class WebSessionService {
  readonly #db: store.Database;
  readonly #ttlMs: number;
  readonly #now: () => number;

  readonly #audit: Pick<AuditChain, "append">;

  constructor(db: store.Database, options: WebSessionOptions) {
    this.#db = db;
    this.#audit = options.audit;
    this.#ttlMs = options.ttlHours * 3_600_000;
    this.#now = options.now ?? Date.now;
  }

  /** Lifetime of a new session, seconds (for the cookie's Max-Age). */
  get ttlSeconds(): number {
    return Math.floor(this.#ttlMs / 1000);
  }

  /** Starts a session for an active token; `unauthorized` if it is revoked or unknown. */
  create(tokenId: string): NewWebSession {
    const token = store.getToken(this.#db, tokenId);
    if (!token || token.revoked_at !== null) {
      throw new TalonError("unauthorized", `token "${tokenId}" is revoked or does not exist`);
    }
    const id = toBase64Url(randomBytes(32));
    const now = this.#now();
    const expiresAt = new Date(now + this.#ttlMs).toISOString();
    store.transaction(this.#db, () => {
      store.insertWebSession(this.#db, {
        idHash: hashSessionId(id),
        tokenId,
        createdAt: new Date(now).toISOString(),
        expiresAt,
      });
      this.#audit.append({ action: "auth.login", actor: `token:${tokenId}`, detail: {} });
    });
    return { id, token_id: tokenId, role: token.role, expires_at: expiresAt };
  }

  /** The live session with this id, or undefined (unknown, expired, or token revoked). */
  resolve(id: string): WebSession | undefined {
    if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
    const now = new Date(this.#now()).toISOString();
    const record = store.findWebSession(this.#db, hashSessionId(id), now);
    if (!record) return undefined;
    return { token_id: record.token_id, role: record.role, expires_at: record.expires_at };
  }

  /** Ends a session (audited as a logout by `actor`); false when there was none. */
  end(id: string, options: { actor: string }): boolean {
    return store.transaction(this.#db, () => {
      const ended = store.deleteWebSession(this.#db, hashSessionId(id));
      if (ended) this.#audit.append({ action: "auth.logout", actor: options.actor, detail: {} });
      return ended;
    });
  }

  /** Deletes expired sessions; returns how many. */
  prune(): number {
    return store.pruneWebSessions(this.#db, new Date(this.#now()).toISOString());
  }
}

function hashSessionId(id: string): string {
  return sha256Base64Url(id);
}
