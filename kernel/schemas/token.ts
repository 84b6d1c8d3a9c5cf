/**
 * API tokens and their roles.
 *
 * @module
 */
import { z } from "zod";

/** Token roles. */
export const TokenRole = z.enum(["viewer", "operator", "admin"]);

/** Body of `POST /api/tokens`. */
export const CreateTokenBody = z.strictObject({
  role: TokenRole,
  name: z.string().min(1).max(100).default("token"),
});
/** A token creation request. */
export type CreateTokenBody = z.infer<typeof CreateTokenBody>;

/** A token as listings show it: never the secret. */
export const TokenView = z.object({
  id: z.string(),
  name: z.string(),
  role: TokenRole,
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});
/** A token record. */
export type TokenView = z.infer<typeof TokenView>;

/** `GET /api/tokens` response. */
export const TokenList = z.object({ tokens: z.array(TokenView) });

/** `POST /api/tokens` response: the token appears here once. */
export const CreatedToken = TokenView.extend({ token: z.string() });
/** A newly created token. */
export type CreatedToken = z.infer<typeof CreatedToken>;

/** Body of `POST /api/auth/login` (and the `/login` form): the API token. */
export const LoginBody = z.strictObject({
  token: z.string().trim().min(1, "enter your API token (it starts with tln_)").max(1000),
});
/** A login request. */
export type LoginBody = z.infer<typeof LoginBody>;

/** `POST /api/auth/login` response (the session itself is the `talon_session` cookie). */
export const LoginResult = z.object({
  token_id: z.string(),
  role: TokenRole,
  expires_at: z.string(),
});
/** A successful login. */
export type LoginResult = z.infer<typeof LoginResult>;

/** `GET /api/auth/session` response: who the caller is and how they authenticated. */
export const SessionInfo = z.object({
  token_id: z.string(),
  role: TokenRole,
  via: z.enum(["bearer", "cookie"]),
});
/** The caller's session. */
export type SessionInfo = z.infer<typeof SessionInfo>;
