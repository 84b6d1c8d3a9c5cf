/**
 * Calls to A2A peers through the official SDK's client (JSON-RPC, A2A 1.0
 * with 0.3 peers understood), over the `fetch` kernel/protocols/a2a_client.ts
 * gives it (allow-list, SSRF guard, the peer's token). A reply from a peer
 * whose card publishes a signing key must be signed by it
 * (kernel/protocols/a2a_signature.ts). Loaded on first use.
 *
 * @module
 */
import {
  A2A_PROTOCOL_VERSION,
  A2A_VERSION_HEADER,
  type AgentCard,
  type Message,
  type Part,
  Role,
  type Task,
  taskStateToJSON,
} from "@a2a-js/sdk";
import {
  ClientFactory,
  DefaultAgentCardResolver,
  JsonRpcTransportFactory,
} from "@a2a-js/sdk/client";
import { TalonError } from "../errors.ts";
import type { A2aCardView } from "../types.ts";
import {
  type A2aResponsePiece,
  type A2aSigningKey,
  checkA2aResponse,
  signingKeyOf,
} from "./a2a_signature.ts";

/** The `fetch` a call uses, and the caller's signal. */
export interface PeerPort {
  fetch: typeof fetch;
  signal?: AbortSignal;
}

const LEGACY = { enabled: true };

/** Reads and normalises the card at `cardUrl`, with the signing key it publishes. */
export async function readCard(
  cardUrl: string,
  port: PeerPort,
): Promise<{ card: AgentCard; view: A2aCardView; key: A2aSigningKey | undefined }> {
  const res = await port.fetch(cardUrl, {
    headers: { [A2A_VERSION_HEADER]: A2A_PROTOCOL_VERSION, accept: "application/json" },
    signal: port.signal,
  });
  const text = await res.text();
  if (!res.ok) {
    throw new TalonError(
      "a2a_call_failed",
      `the agent card at ${cardUrl} answered ${res.status}: ${text.slice(0, 300)}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new TalonError("a2a_call_failed", `the agent card at ${cardUrl} is not JSON`);
  }
  if (
    typeof json !== "object" || json === null ||
    typeof (json as { name?: unknown }).name !== "string"
  ) {
    throw new TalonError("a2a_call_failed", `${cardUrl} is not an agent card (it has no name)`);
  }
  const card = new DefaultAgentCardResolver({ fetchImpl: port.fetch, legacyCompat: LEGACY })
    .normalizeAgentCard(json);
  return { card, view: viewOf(card, cardUrl), key: signingKeyOf(json) };
}

function endpointOf(card: AgentCard): string | null {
  const rpc = (card.supportedInterfaces ?? []).filter((i) => i.protocolBinding === "JSONRPC");
  return (rpc.find((i) => i.protocolVersion === "1.0") ?? rpc[0])?.url ?? null;
}

function viewOf(card: AgentCard, cardUrl: string): A2aCardView {
  return {
    card_url: cardUrl,
    name: card.name,
    description: card.description ?? "",
    version: card.version ?? "",
    endpoint: endpointOf(card),
    streaming: card.capabilities?.streaming ?? false,
    auth: Object.keys(card.securitySchemes ?? {}),
    skills: (card.skills ?? []).map((s) => ({
      id: s.id,
      name: s.name,
      description: s.description ?? "",
      tags: s.tags ?? [],
    })),
  };
}

function textOf(parts: readonly Part[] | undefined): string {
  return (parts ?? []).map((p) => {
    const c = p.content;
    if (c?.$case === "text") return c.value;
    if (c?.$case === "data") return JSON.stringify(c.value);
    if (c?.$case === "url") return `[file ${p.filename || c.value}]`;
    if (c?.$case === "raw") return `[file ${p.filename || p.mediaType}]`;
    return "";
  }).filter((t) => t !== "").join("\n");
}

/**
 * Sends `text` to the agent whose card is at `cardUrl`; waits for the task to
 * end. When the card publishes a signing key, every part of the answer must
 * be signed by it (`signature_invalid` otherwise); `signed_by` is the key id,
 * or null for a peer that publishes no key.
 */
export async function sendText(
  cardUrl: string,
  text: string,
  port: PeerPort,
): Promise<{ state: string; task_id: string | null; text: string; signed_by: string | null }> {
  const { card, view, key } = await readCard(cardUrl, port);
  if (view.endpoint === null) {
    throw new TalonError(
      "a2a_call_failed",
      `the agent card at ${cardUrl} offers no JSON-RPC endpoint${
        view.skills.length ? `; its skills may name agents with cards of their own` : ""
      }`,
    );
  }
  const factory = new ClientFactory({
    transports: [new JsonRpcTransportFactory({ fetchImpl: port.fetch, legacyCompat: LEGACY })],
    cardResolver: new DefaultAgentCardResolver({ fetchImpl: port.fetch, legacyCompat: LEGACY }),
  });
  const client = await factory.createFromAgentCard(card);
  const message: Message = {
    messageId: crypto.randomUUID(),
    contextId: "",
    taskId: "",
    role: Role.ROLE_USER,
    parts: [{
      content: { $case: "text", value: text },
      mediaType: "text/plain",
      filename: "",
      metadata: undefined,
    }],
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
  };
  const result = await client.sendMessage(
    { tenant: "", message, configuration: undefined, metadata: undefined },
    { signal: port.signal },
  );
  if ("messageId" in result) {
    const reply = textOf(result.parts);
    const check = checkA2aResponse(key, {
      ids: { agent: card.name, task_id: result.taskId, context_id: result.contextId },
      pieces: [{ text: reply, metadata: result.metadata }],
    });
    return {
      state: "message",
      task_id: null,
      text: reply,
      signed_by: check.signed ? check.key_id : null,
    };
  }
  const task = result as Task;
  const pieces: A2aResponsePiece[] = task.artifacts.map((a) => ({
    text: textOf(a.parts),
    metadata: a.metadata,
  }));
  const final = task.status?.message;
  if (final) pieces.push({ text: textOf(final.parts), metadata: final.metadata });
  const check = checkA2aResponse(key, {
    ids: { agent: card.name, task_id: task.id, context_id: task.contextId },
    pieces,
  });
  const artifacts = task.artifacts.map((a) => textOf(a.parts)).filter((t) => t !== "");
  const status = textOf(final?.parts);
  return {
    state: taskStateToJSON(task.status?.state ?? 0),
    task_id: task.id,
    text: [...artifacts, ...(status && !artifacts.includes(status) ? [status] : [])].join("\n\n"),
    signed_by: check.signed ? check.key_id : null,
  };
}
