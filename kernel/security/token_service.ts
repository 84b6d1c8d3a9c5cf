/**
 * API tokens over the `api_tokens` table: create (shown once), list, revoke,
 * verify. Verification runs the slow KDF once per token and remembers the
 * result briefly, keyed by a SHA-256 of the token; revocation clears that and
 * ends the token's dashboard sessions.
 *
 * @module
 */
import { sha256Base64Url } from "./sha256.ts";
import { TalonError } from "../errors.ts";
import * as store from "../store/mod.ts";
import type { AuditChain } from "./audit.ts";
import { mintToken, parseToken, verifyTokenSecret } from "./tokens.ts";

/** A token as listings show it: never the secret or its hash. */
export interface TokenView {
  id: string;
  name: string;
  role: store.Role;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** Who a verified token belongs to. */
export interface TokenPrincipal {
  id: string;
  name: string;
  role: store.Role;
}

const CACHE_MS = 60_000;

/** Token management and verification. */
export class TokenService {
  readonly #db: store.Database;
  readonly #cache = new Map<string, { principal: TokenPrincipal; until: number }>();

  readonly #audit: Pick<AuditChain, "append">;

  constructor(db: store.Database, audit: Pick<AuditChain, "append">) {
    this.#db = db;
    this.#audit = audit;
  }

  /** Creates a token; the returned `token` is the only time it is visible. */
  async create(
    options: { role: store.Role; name: string; actor: string },
  ): Promise<TokenView & { token: string }> {
    const minted = await mintToken();
    store.transaction(this.#db, () => {
      store.insertToken(this.#db, {
        id: minted.id,
        name: options.name,
        role: options.role,
        salt: minted.salt,
        hash: minted.hash,
      });
      this.#audit.append({
        action: "token.create",
        actor: options.actor,
        detail: { token_id: minted.id, name: options.name, role: options.role },
      });
    });
    return { ...this.get(minted.id), token: minted.token };
  }

  /** One token's record; `not_found` otherwise. */
  get(id: string): TokenView {
    const record = store.getToken(this.#db, id);
    if (!record) {
      throw new TalonError(
        "not_found",
        `no token with id "${id}"; list tokens with \`talon token list\``,
      );
    }
    return toView(record);
  }

  /** Every token, newest first. */
  list(): TokenView[] {
    return store.listTokens(this.#db).map(toView);
  }

  /** Number of tokens that still work. */
  activeCount(): number {
    return store.countActiveTokens(this.#db);
  }

  /**
   * Revokes a token and ends its dashboard sessions; `not_found` if it does
   * not exist or is already revoked.
   */
  revoke(id: string, options: { actor: string }): TokenView {
    const revoked = store.transaction(this.#db, () => {
      if (!store.revokeToken(this.#db, id)) return false;
      store.deleteWebSessionsOfToken(this.#db, id);
      this.#audit.append({
        action: "token.revoke",
        actor: options.actor,
        detail: { token_id: id },
      });
      return true;
    });
    if (!revoked) {
      throw new TalonError("not_found", `no active token with id "${id}"`);
    }
    this.#cache.clear();
    return this.get(id);
  }

  /** The principal of a presented token, or undefined if it is not valid. */
  async verify(token: string): Promise<TokenPrincipal | undefined> {
    const key = sha256Base64Url(token);
    const cached = this.#cache.get(key);
    if (cached && cached.until > Date.now()) return cached.principal;
    const parts = parseToken(token);
    if (!parts) return undefined;
    const record = store.getToken(this.#db, parts.id);
    if (!record || record.revoked_at !== null) return undefined;
    if (!(await verifyTokenSecret(parts.secret, record.salt, record.hash))) {
      return undefined;
    }
    // Re-read: the token may have been revoked while the KDF ran.
    if (store.getToken(this.#db, parts.id)?.revoked_at !== null) return undefined;
    const principal = { id: record.id, name: record.name, role: record.role };
    this.#cache.set(key, { principal, until: Date.now() + CACHE_MS });
    store.touchToken(this.#db, record.id);
    return principal;
  }
}

function toView(record: store.TokenRecord): TokenView {
  return {
    id: record.id,
    name: record.name,
    role: record.role,
    created_at: record.created_at,
    last_used_at: record.last_used_at,
    revoked_at: record.revoked_at,
  };
}
