/**
 * Ed25519 signatures over the canonical JSON (RFC 8785, `canonicalize`) of a
 * payload. Key pairs are made with WebCrypto; verification is synchronous
 * (`node:crypto`) so checks inside a transaction need no await. Keys travel
 * as base64url: the 32-byte raw public key, the PKCS #8 private key, the
 * 64-byte signature. A key id is the first 32 hex digits of the SHA-256 of
 * the raw public key.
 *
 * @module
 */
import canonicalize from "canonicalize";
import type * as NodeCrypto from "node:crypto";
import { sha256Hex } from "./sha256.ts";

/** A key pair as stored or written to a key file. */
export interface SigningKeyPair {
  key_id: string;
  /** base64url of the raw public key. */
  public_key: string;
  /** PKCS #8 bytes of the private key. */
  private_pkcs8: Uint8Array<ArrayBuffer>;
}

/** A payload's signature and the key that made it. */
export interface PayloadSignature {
  key_id: string;
  /** base64url of the Ed25519 signature. */
  signature: string;
}

/** base64url without padding. */
export function toBase64Url(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Decodes base64url (padding optional); throws TypeError on bad text. */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) throw new TypeError("not base64url");
  const plain = atob(text.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, ""));
  return Uint8Array.from(plain, (c) => c.charCodeAt(0));
}

/** The key id of a public key given as base64url of its raw bytes. */
export function keyIdOf(publicKey: string): string {
  return sha256Hex(fromBase64Url(publicKey)).slice(0, 32);
}

/** The bytes a payload's signature covers: its canonical JSON, UTF-8. */
export function canonicalBytes(payload: unknown): Uint8Array<ArrayBuffer> {
  const text = canonicalize(payload);
  if (text === undefined) throw new TypeError("payload has no JSON form");
  return new TextEncoder().encode(text);
}

/** Makes a new Ed25519 key pair with WebCrypto. */
export async function generateSigningKeyPair(): Promise<SigningKeyPair> {
  const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  const publicKey = toBase64Url(raw);
  return { key_id: keyIdOf(publicKey), public_key: publicKey, private_pkcs8: pkcs8 };
}

/** Signs the canonical JSON of `payload` with an Ed25519 private key (PKCS #8 bytes). */
export async function signPayload(
  payload: unknown,
  key: { key_id: string; private_pkcs8: Uint8Array<ArrayBuffer> },
): Promise<PayloadSignature> {
  const privateKey = await crypto.subtle.importKey("pkcs8", key.private_pkcs8, "Ed25519", false, [
    "sign",
  ]);
  const bytes = canonicalBytes(payload);
  const signature = new Uint8Array(await crypto.subtle.sign("Ed25519", privateKey, bytes));
  return { key_id: key.key_id, signature: toBase64Url(signature) };
}

const publicKeys = new Map<string, NodeCrypto.KeyObject>();

/**
 * `node:crypto`, loaded on the first verification (synchronously, unlike
 * `import()`, so checks inside a transaction need no await) rather than at
 * start-up: it costs ~50 ms and 3 MiB to load.
 */
function nodeCrypto(): typeof NodeCrypto {
  const host = globalThis as unknown as { process: { getBuiltinModule(id: string): unknown } };
  return host.process.getBuiltinModule("node:crypto") as typeof NodeCrypto;
}

/**
 * True when `signature` is a valid Ed25519 signature of the canonical JSON
 * of `payload` by `publicKey` (base64url raw). Malformed keys or signatures
 * are false, never a throw.
 */
export function verifyPayload(
  payload: unknown,
  proof: { signature: string; public_key: string },
): boolean {
  try {
    let key = publicKeys.get(proof.public_key);
    if (!key) {
      key = nodeCrypto().createPublicKey({
        key: { kty: "OKP", crv: "Ed25519", x: proof.public_key },
        format: "jwk",
      });
      if (publicKeys.size > 1000) publicKeys.clear();
      publicKeys.set(proof.public_key, key);
    }
    const signature = fromBase64Url(proof.signature);
    if (signature.length !== 64) return false;
    return nodeCrypto().verify(null, canonicalBytes(payload), key, signature);
  } catch {
    return false;
  }
}
