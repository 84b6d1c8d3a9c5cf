/**
 * Agent identity on the wire: public keys and the signing key file that
 * `talon key create` writes (key ids, signatures and a manifest's signature
 * block live in agent_manifest.ts, which islands ship). Written with
 * `zod/mini` (see ./mini.ts).
 *
 * @module
 */
import * as z from "zod/mini";
import "./mini.ts";
import { KeyId } from "./agent_manifest.ts";

/** base64url of a 32-byte raw Ed25519 public key. */
export const PublicKeyText = z.string().check(z.regex(
  /^[A-Za-z0-9_-]{43}$/,
  "must be an Ed25519 public key in base64url (43 characters), as `talon key create` prints it",
));

/** The signing key file `talon key create` writes (mode 0600). */
export const SigningKeyFile = z.strictObject({
  kind: z.literal("talon-signing-key"),
  key_id: KeyId,
  public_key: PublicKeyText,
  /** base64url of the PKCS #8 private key. */
  private_key: z.string().check(z.regex(/^[A-Za-z0-9_-]{40,200}$/)),
});
/** A signing key file. */
export type SigningKeyFile = z.infer<typeof SigningKeyFile>;
