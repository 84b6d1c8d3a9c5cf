/**
 * Browser sessions: the one place that turns an API token into the
 * `talon_session` cookie and back. `POST /api/auth/login` (JSON, used by the
 * login island) and the `/login` form POST (no JavaScript) both call
 * {@link logIn}; {@link authenticate} (http/auth.ts) resolves the cookie with
 * {@link sessionPrincipal}.
 *
 * A session is a random 256-bit id held in memory for `SESSION_TTL_MS`,
 * bound to the token that opened it: revoking the token ends its sessions
 * at once, and the role is re-read from the token on every request.
 * Sessions end when Talon restarts (log in again).
 *
 * @module
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { TalonError } from "../kernel/mod.ts";
import type { LoginResult } from "../kernel/types.ts";
import type { AppEnv, Principal } from "./define.ts";

/** Name of the session cookie. */
export const SESSION_COOKIE = "talon_session";
/** How long a session lasts. */
export const SESSION_TTL_MS = 12 * 3_600_000;
const MAX_SESSIONS = 10_000;

interface Session {
  tokenId: string;
  expiresAt: number;
}

/** Live sessions of one server, by cookie value. */
export class SessionStore {
  readonly #sessions = new Map<string, Session>();

  /** Opens a session for `tokenId`; returns the cookie value and expiry. */
  open(tokenId: string): { id: string; expiresAt: number } {
    this.#prune();
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    const id = btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_")
      .replace(/=+$/, "");
    const expiresAt = Date.now() + SESSION_TTL_MS;
    this.#sessions.set(id, { tokenId, expiresAt });
    return { id, expiresAt };
  }

  /** The token id of a live session. */
  tokenOf(id: string): string | undefined {
    const session = this.#sessions.get(id);
    if (!session) return undefined;
    if (session.expiresAt <= Date.now()) {
      this.#sessions.delete(id);
      return undefined;
    }
    return session.tokenId;
  }

  /** Ends a session. */
  close(id: string): void {
    this.#sessions.delete(id);
  }

  #prune(): void {
    const now = Date.now();
    for (const [id, session] of this.#sessions) {
      if (session.expiresAt <= now) this.#sessions.delete(id);
    }
    // Still full: drop the oldest (Map iteration is insertion order).
    for (const id of this.#sessions.keys()) {
      if (this.#sessions.size < MAX_SESSIONS) break;
      this.#sessions.delete(id);
    }
  }
}

/**
 * Verifies `token` with the kernel, opens a session and sets the cookie
 * (`HttpOnly; SameSite=Strict; Path=/`); `unauthorized` if the token is not valid.
 */
export async function logIn(c: Context<AppEnv>, token: string): Promise<LoginResult> {
  const principal = await c.get("kernel").tokens.verify(token.trim());
  if (!principal) {
    throw new TalonError(
      "unauthorized",
      "that token is not valid: check it was copied whole, or create one with `talon token create`",
    );
  }
  const session = c.get("sessions").open(principal.id);
  setCookie(c, SESSION_COOKIE, session.id, {
    httpOnly: true,
    sameSite: "Strict",
    path: "/",
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  });
  return {
    token_id: principal.id,
    role: principal.role,
    expires_at: new Date(session.expiresAt).toISOString(),
  };
}

/** Ends the caller's session (if any) and clears the cookie. */
export function logOut(c: Context<AppEnv>): void {
  const id = getCookie(c, SESSION_COOKIE);
  if (id) c.get("sessions").close(id);
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
}

/** The principal of the request's session cookie, if it names a live session of a live token. */
export function sessionPrincipal(c: Context<AppEnv>): Principal | undefined {
  const id = getCookie(c, SESSION_COOKIE);
  if (!id) return undefined;
  const tokenId = c.get("sessions").tokenOf(id);
  if (!tokenId) return undefined;
  let token;
  try {
    token = c.get("kernel").tokens.get(tokenId);
  } catch {
    return undefined;
  }
  if (token.revoked_at !== null) {
    c.get("sessions").close(id);
    return undefined;
  }
  return { kind: "token", id: token.id, role: token.role, via: "cookie" };
}
