/**
 * API tokens and their roles. Written with `zod/mini` (see ./mini.ts): the
 * settings page's token form checks with `CreateTokenBody` before it submits.
 *
 * @module
 */
import * as z from "zod/mini";
import "./mini.ts";
import { ROLES } from "./role.ts";

/** Token roles: the schema of `Role` (role.ts). */
export const TokenRole = z.enum(ROLES);

/** Body of `POST /api/tokens`. */
export const CreateTokenBody = z.strictObject({
  role: TokenRole,
  name: z._default(z.string().check(z.minLength(1), z.maxLength(100)), "token"),
});
/** A token creation request. */
export type CreateTokenBody = z.infer<typeof CreateTokenBody>;

/** A token as listings show it: never the secret. */
export const TokenView = z.object({
  id: z.string(),
  name: z.string(),
  role: TokenRole,
  created_at: z.string(),
  last_used_at: z.nullable(z.string()),
  revoked_at: z.nullable(z.string()),
});
/** A token record. */
export type TokenView = z.infer<typeof TokenView>;

/** `GET /api/tokens` response. */
export const TokenList = z.object({ tokens: z.array(TokenView) });
/** Every token. */
export type TokenList = z.infer<typeof TokenList>;

/** `POST /api/tokens` response: the token appears here once. */
export const CreatedToken = z.extend(TokenView, { token: z.string() });
/** A newly created token. */
export type CreatedToken = z.infer<typeof CreatedToken>;
