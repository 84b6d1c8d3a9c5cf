/**
 * API tokens: `tln_<id>_<secret>`. Only a scrypt hash of the secret is stored;
 * verification is constant-time. The id prefix finds the row without scanning.
 *
 * @module
 */
import { fromBase64Url, randomBytes, toBase64Url, toHex } from "./sha256.ts";

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 } as const;

/** A freshly minted token: `token` is shown once, `hash` and `salt` are stored. */
export interface MintedToken {
  id: string;
  token: string;
  salt: string;
  hash: string;
}

/** scrypt of `secret` (`node:crypto`, loaded on the first token minted or checked, not at boot). */
async function kdf(secret: string, salt: string): Promise<Uint8Array> {
  const { scrypt } = await import("node:crypto");
  return new Promise((resolve, reject) => {
    scrypt(
      secret,
      fromBase64Url(salt),
      SCRYPT.keylen,
      { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p },
      (error, key) => error ? reject(error) : resolve(new Uint8Array(key)),
    );
  });
}

/** Whether two byte strings are equal, in time that depends only on their length. */
function bytesEqual(x: Uint8Array, y: Uint8Array): boolean {
  let diff = x.length ^ y.length;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ (y[i % (y.length || 1)] ?? 0);
  return diff === 0;
}

/** Creates a new random token and its stored hash. */
export async function mintToken(): Promise<MintedToken> {
  const id = toHex(randomBytes(6));
  const secret = toBase64Url(randomBytes(32));
  const salt = toBase64Url(randomBytes(16));
  const hash = toBase64Url(await kdf(secret, salt));
  return { id, token: `tln_${id}_${secret}`, salt, hash };
}

/** Splits a presented token into id and secret, or undefined if malformed. */
export function parseToken(
  token: string,
): { id: string; secret: string } | undefined {
  const match = /^tln_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/.exec(token);
  return match ? { id: match[1]!, secret: match[2]! } : undefined;
}

/** Checks `secret` against a stored salt and hash in constant time. */
export async function verifyTokenSecret(
  secret: string,
  salt: string,
  hash: string,
): Promise<boolean> {
  let expected: Uint8Array;
  try {
    expected = fromBase64Url(hash);
  } catch {
    return false;
  }
  return bytesEqual(await kdf(secret, salt), expected);
}

/** Compares two strings in constant time (for the local admin credential). */
export function constantTimeEqual(a: string, b: string): boolean {
  const encoder = new TextEncoder();
  return bytesEqual(encoder.encode(a), encoder.encode(b));
}

/** A random credential for `server.json` (the CLI's local admin access). */
export function randomCredential(): string {
  return toBase64Url(randomBytes(32));
}
