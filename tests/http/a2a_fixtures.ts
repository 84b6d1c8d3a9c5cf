/**
 * Helpers for driving Talon's A2A server with the official SDK client in
 * tests: a fetch that sends a bearer token, and a user message request.
 *
 * @module
 */
import { Role } from "@a2a-js/sdk";
import type { Client } from "@a2a-js/sdk/client";

/** What `Client.sendMessage()` takes. */
export type SendRequest = Parameters<Client["sendMessage"]>[0];

/** `fetch` sending `Authorization: Bearer <token>` (nothing without a token). */
export function authed(token?: string): typeof fetch {
  return (input, init) => {
    const headers = new Headers(init?.headers);
    if (token) headers.set("authorization", `Bearer ${token}`);
    return fetch(input, { ...init, headers });
  };
}

/** A `SendMessage` request carrying one text part from the user. */
export function userMessage(text: string): SendRequest {
  return {
    tenant: "",
    message: {
      messageId: crypto.randomUUID(),
      contextId: "",
      taskId: "",
      role: Role.ROLE_USER,
      parts: [{
        content: { $case: "text" as const, value: text },
        mediaType: "text/plain",
        filename: "",
        metadata: undefined,
      }],
      metadata: undefined,
      extensions: [],
      referenceTaskIds: [],
    },
    configuration: undefined,
    metadata: undefined,
  };
}
