/**
 * Seals agents' private keys at rest with AES-256-GCM. The sealing key comes
 * from the environment variable `[security] key_env` names (its value run
 * through HKDF-SHA-256), or else from a random key file in the data dir,
 * created with mode 0600. Each sealed value is bound to its agent and key id
 * (GCM additional data), so a row copied onto another agent does not open.
 *
 * @module
 */
import { TalonError } from "../errors.ts";
import { fromBase64Url, toBase64Url } from "./signing.ts";

/** Where the sealing key comes from. */
export interface KeySealerOptions {
  /** The key file used when `keyEnv` is unset (created 0600 on first use). */
  keyFile: string;
  /** `[security] key_env`: the environment variable holding the secret. */
  keyEnv?: string;
  env: (key: string) => string | undefined;
}

const FORMAT = "v1";
const MIN_SECRET_CHARS = 16;

/** Seals and opens private keys; the sealing key is loaded on first use. */
export class KeySealer {
  readonly #options: KeySealerOptions;
  #key: Promise<CryptoKey> | undefined;

  constructor(options: KeySealerOptions) {
    this.#options = options;
  }

  /** `v1.<iv>.<ciphertext>` (base64url) of `plain`, bound to `context`. */
  async seal(plain: Uint8Array<ArrayBuffer>, context: string): Promise<string> {
    const key = await this.#sealingKey();
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(context) },
      key,
      plain,
    );
    return `${FORMAT}.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(sealed))}`;
  }

  /** Opens what {@link seal} made for `context`; `signature_invalid` when it does not open. */
  async open(sealed: string, context: string): Promise<Uint8Array<ArrayBuffer>> {
    const key = await this.#sealingKey();
    const [format, iv, body] = sealed.split(".");
    try {
      if (format !== FORMAT || iv === undefined || body === undefined) throw new Error("format");
      const plain = await crypto.subtle.decrypt(
        {
          name: "AES-GCM",
          iv: fromBase64Url(iv),
          additionalData: new TextEncoder().encode(context),
        },
        key,
        fromBase64Url(body),
      );
      return new Uint8Array(plain);
    } catch (cause) {
      throw new TalonError(
        "signature_invalid",
        "a stored private key does not open with this data dir's identity key (was the key file or [security] key_env changed?)",
        { cause },
      );
    }
  }

  #sealingKey(): Promise<CryptoKey> {
    this.#key ??= this.#load();
    return this.#key;
  }

  async #load(): Promise<CryptoKey> {
    const { keyEnv, env, keyFile } = this.#options;
    if (keyEnv !== undefined) {
      const secret = env(keyEnv) ?? "";
      if (secret.length < MIN_SECRET_CHARS) {
        throw new TalonError(
          "not_configured",
          `[security] key_env names ${keyEnv}, but it is ${
            secret ? "shorter than 16 characters" : "not set"
          }; set it to a long random secret (e.g. openssl rand -base64 32)`,
        );
      }
      const base = await crypto.subtle.importKey(
        "raw",
        new TextEncoder().encode(secret),
        "HKDF",
        false,
        ["deriveKey"],
      );
      return await crypto.subtle.deriveKey(
        {
          name: "HKDF",
          hash: "SHA-256",
          salt: new Uint8Array(32),
          info: new TextEncoder().encode("talon agent keys v1"),
        },
        base,
        { name: "AES-GCM", length: 256 },
        false,
        ["encrypt", "decrypt"],
      );
    }
    const raw = await readOrCreateKeyFile(keyFile);
    return await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
  }
}

/** The 32 key bytes in `path`, made (random, mode 0600) when the file does not exist. */
async function readOrCreateKeyFile(path: string): Promise<Uint8Array<ArrayBuffer>> {
  try {
    const file = await Deno.open(path, { write: true, createNew: true, mode: 0o600 });
    try {
      const bytes = crypto.getRandomValues(new Uint8Array(32));
      await file.write(new TextEncoder().encode(toBase64Url(bytes) + "\n"));
      return bytes;
    } finally {
      file.close();
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
  }
  if (((await Deno.stat(path)).mode ?? 0) & 0o077) await Deno.chmod(path, 0o600);
  const text = (await Deno.readTextFile(path)).trim();
  let bytes: Uint8Array<ArrayBuffer> | undefined;
  try {
    bytes = fromBase64Url(text);
  } catch {
    bytes = undefined;
  }
  if (bytes?.length !== 32) {
    throw new TalonError(
      "invalid_config",
      `${path} is not a Talon identity key (32 bytes in base64url); restore it from a backup — agents' private keys cannot be opened without it`,
    );
  }
  return bytes;
}
