/**
 * Agent identity rows: key pairs (private half sealed), the signatures of
 * inter-agent messages, and the newest signed manifest applied per name.
 *
 * @module
 */
import { type Database, nowIso, prepared } from "./database.ts";

/** One agent's key pair; `private_key` is sealed (AES-GCM), never plain. */
export interface AgentKeyRow {
  key_id: string;
  agent_id: string;
  /** base64url of the 32-byte raw Ed25519 public key. */
  public_key: string;
  private_key: string;
  created_at: string;
}

/** Stores a key pair unless the agent already has one; true when stored. */
export function insertAgentKey(db: Database, row: Omit<AgentKeyRow, "created_at">): boolean {
  const result = prepared(
    db,
    `INSERT INTO agent_keys (key_id, agent_id, public_key, private_key, created_at)
     VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  ).run(row.key_id, row.agent_id, row.public_key, row.private_key, nowIso());
  return Number(result.changes) > 0;
}

/** The agent's key pair, or undefined. */
export function agentKeyOf(db: Database, agentId: string): AgentKeyRow | undefined {
  return prepared(db, "SELECT * FROM agent_keys WHERE agent_id = ?").get(agentId) as
    | AgentKeyRow
    | undefined;
}

/** The key pair with this key id, or undefined. */
export function agentKeyById(db: Database, keyId: string): AgentKeyRow | undefined {
  return prepared(db, "SELECT * FROM agent_keys WHERE key_id = ?").get(keyId) as
    | AgentKeyRow
    | undefined;
}

/** The signature of an inter-agent message (the turn it started). */
export interface AgentMessageRow {
  turn_id: string;
  sender_id: string;
  recipient_id: string;
  sent_at: string;
  key_id: string;
  signature: string;
}

/** Stores a message's signature; call inside the transaction that stores its turn. */
export function insertAgentMessage(db: Database, row: AgentMessageRow): void {
  prepared(
    db,
    `INSERT INTO agent_messages (turn_id, sender_id, recipient_id, sent_at, key_id, signature)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(row.turn_id, row.sender_id, row.recipient_id, row.sent_at, row.key_id, row.signature);
}

/** The signature of the message that started `turnId`, or undefined (not an inter-agent turn). */
export function agentMessageOf(db: Database, turnId: string): AgentMessageRow | undefined {
  return prepared(db, "SELECT * FROM agent_messages WHERE turn_id = ?").get(turnId) as
    | AgentMessageRow
    | undefined;
}

/** The text of a turn's user message in its session, or undefined. */
export function turnUserText(db: Database, turnId: string): string | undefined {
  const row = prepared(
    db,
    "SELECT content FROM messages WHERE turn_id = ? AND role = 'user' ORDER BY id LIMIT 1",
  ).get(turnId) as { content: string } | undefined;
  if (!row) return undefined;
  const content = JSON.parse(row.content) as { text?: unknown };
  return typeof content.text === "string" ? content.text : undefined;
}

/** The newest signed manifest applied under an agent name. */
export interface SignedManifestRow {
  name: string;
  version: string;
  key_id: string;
  digest: string;
  applied_at: string;
}

/** The newest signed manifest applied under `name`, or undefined. */
export function signedManifestOf(db: Database, name: string): SignedManifestRow | undefined {
  return prepared(db, "SELECT * FROM signed_manifests WHERE name = ?").get(name) as
    | SignedManifestRow
    | undefined;
}

/** Records a signed manifest as applied under its name; call inside the applying transaction. */
export function recordSignedManifest(
  db: Database,
  row: Omit<SignedManifestRow, "applied_at">,
): void {
  prepared(
    db,
    `INSERT INTO signed_manifests (name, version, key_id, digest, applied_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET version = excluded.version, key_id = excluded.key_id,
       digest = excluded.digest, applied_at = excluded.applied_at`,
  ).run(row.name, row.version, row.key_id, row.digest, nowIso());
}
