/**
 * Agents' key pairs and the signatures of the messages they send each
 * other. Each agent gets an Ed25519 key pair (WebCrypto) when it is spawned,
 * or on first use for agents older than identity; the private half is
 * stored sealed (key_sealing.ts). An inter-agent message is signed over the
 * canonical JSON of {@link agentMessagePayload} and verified when the
 * recipient's turn starts and whenever {@link AgentIdentity.verifyMessage}
 * re-reads it from the store: an edited row no longer verifies, and the
 * rejection is audited as `agent_message.rejected`.
 *
 * @module
 */
import { TalonError } from "../errors.ts";
import * as store from "../store/mod.ts";
import type { AuditChain } from "./audit.ts";
import type { KeySealer } from "./key_sealing.ts";
import {
  generateSigningKeyPair,
  type PayloadSignature,
  signPayload,
  verifyPayload,
} from "./signing.ts";

/** What the identity service needs. */
export interface AgentIdentityDeps {
  db: store.Database;
  audit: Pick<AuditChain, "append">;
  sealer: KeySealer;
}

/** An agent's public identity. */
export interface AgentPublicKey {
  agent_id: string;
  key_id: string;
  /** base64url of the raw Ed25519 public key. */
  public_key: string;
}

/** The fields an inter-agent message's signature covers. */
export interface AgentMessageFields {
  from: string;
  to: string;
  turn_id: string;
  sent_at: string;
  text: string;
}

/** What re-reading a stored inter-agent message found. */
export type MessageCheck =
  | { ok: true; signed: boolean }
  | { ok: false; reason: string };

/** The exact object an inter-agent message's signature covers (canonicalized). */
export function agentMessagePayload(fields: AgentMessageFields): Record<string, unknown> {
  return { type: "talon.agent_message", v: 1, ...fields };
}

/** Agents' keys, message signing and verification. */
export class AgentIdentity {
  readonly #deps: AgentIdentityDeps;
  readonly #pending = new Map<string, Promise<AgentPublicKey>>();

  constructor(deps: AgentIdentityDeps) {
    this.#deps = deps;
  }

  /** The agent's key pair, made when it has none yet. */
  ensureKey(agentId: string): Promise<AgentPublicKey> {
    const row = store.agentKeyOf(this.#deps.db, agentId);
    if (row) return Promise.resolve(publicOf(row));
    let pending = this.#pending.get(agentId);
    if (!pending) {
      pending = this.#create(agentId).finally(() => this.#pending.delete(agentId));
      this.#pending.set(agentId, pending);
    }
    return pending;
  }

  /** The agent's public key, or undefined when it has none yet. */
  publicKeyOf(agentId: string): AgentPublicKey | undefined {
    const row = store.agentKeyOf(this.#deps.db, agentId);
    return row ? publicOf(row) : undefined;
  }

  /** Waits for key pairs still being made (before the database closes). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.#pending.values()]);
  }

  /**
   * Signs the canonical JSON of `payload` with the agent's private key (made
   * when missing): for inter-agent messages and A2A responses.
   */
  async signAs(agentId: string, payload: unknown): Promise<PayloadSignature> {
    const key = await this.ensureKey(agentId);
    const row = store.agentKeyById(this.#deps.db, key.key_id)!;
    const pkcs8 = await this.#deps.sealer.open(row.private_key, sealContext(row));
    return await signPayload(payload, { key_id: row.key_id, private_pkcs8: pkcs8 });
  }

  /** True when `signature` is by the stored key `keyId` over `payload`. */
  verifyAs(payload: unknown, proof: PayloadSignature): boolean {
    const row = store.agentKeyById(this.#deps.db, proof.key_id);
    return row !== undefined &&
      verifyPayload(payload, { signature: proof.signature, public_key: row.public_key });
  }

  /** Signs a message `from` → `to` that will start turn `turnId`; store the row with the turn. */
  async signMessage(fields: Omit<AgentMessageFields, "sent_at">): Promise<store.AgentMessageRow> {
    const sentAt = new Date().toISOString();
    const proof = await this.signAs(
      fields.from,
      agentMessagePayload({ ...fields, sent_at: sentAt }),
    );
    return {
      turn_id: fields.turn_id,
      sender_id: fields.from,
      recipient_id: fields.to,
      sent_at: sentAt,
      key_id: proof.key_id,
      signature: proof.signature,
    };
  }

  /**
   * Re-reads the message that started `turnId` from the store and checks its
   * signature against the turn's input and its session message. A turn no
   * agent sent is `{ok: true, signed: false}`.
   */
  verifyMessage(turnId: string): MessageCheck {
    const { db } = this.#deps;
    const envelope = store.agentMessageOf(db, turnId);
    if (!envelope) return { ok: true, signed: false };
    const turn = store.getTurn(db, turnId);
    if (!turn) return { ok: false, reason: "its turn is gone" };
    const key = store.agentKeyById(db, envelope.key_id);
    if (!key) return { ok: false, reason: `signing key ${envelope.key_id} is unknown` };
    if (key.agent_id !== envelope.sender_id) {
      return { ok: false, reason: `key ${envelope.key_id} is not the sender's` };
    }
    if (turn.agent_id !== envelope.recipient_id) {
      return { ok: false, reason: "it was addressed to another agent" };
    }
    const payload = agentMessagePayload({
      from: envelope.sender_id,
      to: envelope.recipient_id,
      turn_id: turnId,
      sent_at: envelope.sent_at,
      text: turn.input,
    });
    if (!verifyPayload(payload, { signature: envelope.signature, public_key: key.public_key })) {
      return { ok: false, reason: "the signature does not match the stored message" };
    }
    const sessionText = store.turnUserText(db, turnId);
    if (sessionText !== undefined && sessionText !== turn.input) {
      return { ok: false, reason: "the session's copy differs from the signed message" };
    }
    return { ok: true, signed: true };
  }

  /**
   * Verifies the message that started `turnId` before its turn runs: a
   * signature that fails is audited (`agent_message.rejected`) and refused
   * with `signature_invalid`.
   */
  receive(agentId: string, turnId: string): Promise<void> {
    const check = this.verifyMessage(turnId);
    if (check.ok) return Promise.resolve();
    const envelope = store.agentMessageOf(this.#deps.db, turnId);
    this.#deps.audit.append({
      action: "agent_message.rejected",
      actor: "system",
      agent_id: agentId,
      detail: { turn_id: turnId, sender: envelope?.sender_id ?? null, reason: check.reason },
    });
    return Promise.reject(
      new TalonError(
        "signature_invalid",
        `the message that started turn ${turnId} failed verification (${check.reason}); it was not run`,
        { details: { turn_id: turnId, reason: check.reason } },
      ),
    );
  }

  async #create(agentId: string): Promise<AgentPublicKey> {
    const pair = await generateSigningKeyPair();
    const sealed = await this.#deps.sealer.seal(
      pair.private_pkcs8,
      sealContext({ agent_id: agentId, key_id: pair.key_id }),
    );
    const { db } = this.#deps;
    // Not audited: keys are made in the background, and the chain's order stays that of requests.
    store.insertAgentKey(db, {
      key_id: pair.key_id,
      agent_id: agentId,
      public_key: pair.public_key,
      private_key: sealed,
    });
    return publicOf(store.agentKeyOf(db, agentId)!);
  }
}

function publicOf(row: store.AgentKeyRow): AgentPublicKey {
  return { agent_id: row.agent_id, key_id: row.key_id, public_key: row.public_key };
}

function sealContext(row: { agent_id: string; key_id: string }): string {
  return `talon-agent-key:${row.agent_id}:${row.key_id}`;
}
