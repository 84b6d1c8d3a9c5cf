/**
 * Dashboard login: an API token exchanged for an HttpOnly session cookie.
 * Written with `zod/mini` (see ./mini.ts), like the token schemas it uses.
 *
 * @module
 */
import * as z from "zod/mini";
import "./mini.ts";
import { TokenRole } from "./token.ts";

/** Body of `POST /api/auth/login` (and the `/login` form): the API token. */
export const LoginBody = z.strictObject({
  token: z.string().check(
    z.trim(),
    z.minLength(1, "enter your API token (it starts with tln_)"),
    z.maxLength(1000),
  ),
});
/** A login request. */
export type LoginBody = z.infer<typeof LoginBody>;

/** `POST /api/auth/login` response (the session id travels only in the cookie). */
export const LoginResult = z.object({
  token_id: z.string(),
  role: TokenRole,
  expires_at: z.string(),
});
/** A successful login. */
export type LoginResult = z.infer<typeof LoginResult>;

/** How a request authenticated: an `Authorization: Bearer` header or the session cookie. */
export const AuthVia = z.enum(["bearer", "cookie"]);
/** How a request authenticated. */
export type AuthVia = z.infer<typeof AuthVia>;

/** `GET /api/auth/session` response: who the caller is. */
export const SessionInfo = z.object({
  token_id: z.string(),
  role: TokenRole,
  via: AuthVia,
});
/** Who the caller is. */
export type SessionInfo = z.infer<typeof SessionInfo>;
