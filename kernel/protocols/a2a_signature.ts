/**
 * Signed A2A responses: an offered agent signs each reply it gives over A2A
 * (the final artifact, and a final status message) with its Ed25519 key,
 * over the canonical JSON of {@link a2aResponsePayload}; the signature rides
 * in the part's `metadata["talon.signature"]`. The agent's card publishes
 * its public key as the capability extension {@link SIGNING_EXTENSION}.
 * Talon's client verifies a peer's replies against the key its card
 * publishes. Plain data: the SDK is not loaded here.
 *
 * @module
 */
import { TalonError } from "../errors.ts";
import { keyIdOf, type PayloadSignature, verifyPayload } from "../security/mod.ts";

/** The URI of the card extension that publishes an agent's signing key. */
export const SIGNING_EXTENSION = "urn:talon:signing:ed25519";

/** The metadata key a signed message or artifact carries its signature under. */
export const SIGNATURE_KEY = "talon.signature";

/** An agent's published signing key. */
export interface A2aSigningKey {
  key_id: string;
  /** base64url of the raw Ed25519 public key. */
  public_key: string;
}

/** What a response's signature binds its text to. */
export interface A2aResponseIds {
  /** The agent's name (its card's `name`). */
  agent: string;
  task_id: string;
  context_id: string;
}

/** One text-bearing part of a response (a message or an artifact) and its metadata. */
export interface A2aResponsePiece {
  text: string;
  metadata: Record<string, unknown> | undefined;
}

/** What checking a response found: verified by the card's key, or unsigned (no key published). */
export type A2aSignatureCheck =
  | { signed: true; key_id: string }
  | { signed: false };

/** The exact object an A2A response's signature covers (canonicalized). */
export function a2aResponsePayload(
  ids: A2aResponseIds,
  text: string,
): Record<string, unknown> {
  return { type: "talon.a2a_response", v: 1, ...ids, text };
}

/** The card extension publishing `key`, for `capabilities.extensions`. */
export function signingExtension(key: A2aSigningKey): Record<string, unknown> {
  return {
    uri: SIGNING_EXTENSION,
    description:
      "Replies are signed (Ed25519 over the canonical JSON of {type: talon.a2a_response, v: 1, agent, task_id, context_id, text}); the signature is in metadata['talon.signature'].",
    required: false,
    params: { key_id: key.key_id, public_key: key.public_key },
  };
}

/** The metadata carrying a signature. */
export function signatureMetadata(proof: PayloadSignature): Record<string, unknown> {
  return {
    [SIGNATURE_KEY]: { signature: proof.signature, key_id: proof.key_id, alg: "Ed25519" },
  };
}

/** The signing key a card (raw JSON) publishes, if any. */
export function signingKeyOf(card: unknown): A2aSigningKey | undefined {
  const extensions = (card as { capabilities?: { extensions?: unknown } } | null)?.capabilities
    ?.extensions;
  if (!Array.isArray(extensions)) return undefined;
  const found = extensions.find((e) => (e as { uri?: unknown })?.uri === SIGNING_EXTENSION) as
    | { params?: { key_id?: unknown; public_key?: unknown } }
    | undefined;
  const params = found?.params;
  if (typeof params?.key_id !== "string" || typeof params.public_key !== "string") {
    return undefined;
  }
  return { key_id: params.key_id, public_key: params.public_key };
}

function refuse(ids: A2aResponseIds, reason: string): TalonError {
  return new TalonError(
    "signature_invalid",
    `the reply of "${ids.agent}" (task ${
      ids.task_id || "none"
    }) failed verification: ${reason}; it was refused. Its card publishes a signing key, so every reply must be signed by it`,
    { details: { agent: ids.agent, task_id: ids.task_id, reason } },
  );
}

/**
 * Checks each text-bearing piece of a response against the card's `key`:
 * unsigned when the card publishes no key; `signature_invalid` when a piece
 * is unsigned, signed by another key, or its text differs from what was
 * signed.
 */
export function checkA2aResponse(
  key: A2aSigningKey | undefined,
  options: { ids: A2aResponseIds; pieces: readonly A2aResponsePiece[] },
): A2aSignatureCheck {
  const { ids } = options;
  if (!key) return { signed: false };
  if (keyIdOf(key.public_key) !== key.key_id) {
    throw refuse(ids, `the card's key id ${key.key_id} does not match its public key`);
  }
  const pieces = options.pieces.filter((p) => p.text !== "");
  for (const piece of pieces) {
    const proof = piece.metadata?.[SIGNATURE_KEY] as
      | { signature?: unknown; key_id?: unknown }
      | undefined;
    if (typeof proof?.signature !== "string" || typeof proof.key_id !== "string") {
      throw refuse(ids, "a part of it carries no signature");
    }
    if (proof.key_id !== key.key_id) {
      throw refuse(ids, `it is signed by key ${proof.key_id}, not the card's key ${key.key_id}`);
    }
    const payload = a2aResponsePayload(ids, piece.text);
    if (!verifyPayload(payload, { signature: proof.signature, public_key: key.public_key })) {
      throw refuse(ids, "the signature does not match its text");
    }
  }
  return pieces.length === 0 ? { signed: false } : { signed: true, key_id: key.key_id };
}
