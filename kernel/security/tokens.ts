/**
 * API tokens: `tln_<id>_<secret>`. Only a scrypt hash of the secret is stored;
 * verification is constant-time. The id prefix finds the row without scanning.
 *
 * @module
 */
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 } as const;

/** A freshly minted token: `token` is shown once, `hash` and `salt` are stored. */
export interface MintedToken {
  id: string;
  token: string;
  salt: string;
  hash: string;
}

function kdf(secret: string, salt: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      secret,
      Buffer.from(salt, "base64url"),
      SCRYPT.keylen,
      { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p },
      (error, key) => error ? reject(error) : resolve(key),
    );
  });
}

/** Creates a new random token and its stored hash. */
export async function mintToken(): Promise<MintedToken> {
  const id = randomBytes(6).toString("hex");
  const secret = randomBytes(32).toString("base64url");
  const salt = randomBytes(16).toString("base64url");
  const hash = (await kdf(secret, salt)).toString("base64url");
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
  const expected = Buffer.from(hash, "base64url");
  const actual = await kdf(secret, salt);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Compares two strings in constant time (for the local admin credential). */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  if (x.length !== y.length) {
    timingSafeEqual(x, x);
    return false;
  }
  return timingSafeEqual(x, y);
}

/** A random credential for `server.json` (the CLI's local admin access). */
export function randomCredential(): string {
  return randomBytes(32).toString("base64url");
}
