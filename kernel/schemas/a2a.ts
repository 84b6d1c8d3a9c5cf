/**
 * A2A (Agent2Agent) shapes: the `[a2a]` config section with its peer
 * allow-list, agent cards as Talon serves and reads them (A2A v1.0 JSON),
 * what the API shows of peers, and the JSON-RPC envelope of the per-agent
 * endpoints.
 *
 * @module
 */
import { z } from "zod";

/** Names of peers: lowercase slugs. */
export const A2aPeerName = z.string().regex(
  /^[a-z][a-z0-9_-]{0,63}$/,
  "must start with a lowercase letter and use only lowercase letters, digits, '-' or '_'",
);

const HttpUrl = z.url({ protocol: /^https?$/ }).max(2000);

/** One `[a2a.peers.<name>]` entry: an agent Talon may reach. */
export const A2aPeerConfig = z.strictObject({
  /**
   * The peer's base URL (its card is at `/.well-known/agent-card.json`
   * under it) or its card's URL (ending in `.json`). Talon reaches only
   * URLs under a configured peer's origin and path.
   */
  url: HttpUrl,
  /** Environment variable holding a bearer token sent to this peer. */
  token_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name")
    .optional(),
  /** Seconds a call may take. */
  timeout_s: z.number().int().min(1).max(3600).default(120),
});
/** A configured peer. */
export type A2aPeerConfig = z.infer<typeof A2aPeerConfig>;

/** The `[a2a]` config section. */
export const A2aConfig = z.strictObject({
  /**
   * The URL peers reach this Talon at, as its cards advertise it; by default
   * the origin of each card request.
   */
  public_url: HttpUrl.optional(),
  /** The only agents Talon's A2A client reaches, by name. */
  peers: z.record(A2aPeerName, A2aPeerConfig).default({}),
});
/** The `[a2a]` section. */
export type A2aConfig = z.infer<typeof A2aConfig>;

/** A skill on an agent card (A2A v1.0 JSON; unknown fields pass). */
export const A2aSkill = z.looseObject({
  id: z.string(),
  name: z.string(),
  description: z.string().default(""),
  tags: z.array(z.string()).default([]),
  examples: z.array(z.string()).optional(),
});
/** A skill on a card. */
export type A2aSkill = z.infer<typeof A2aSkill>;

/** An agent card (A2A v1.0 JSON): what Talon serves, checked loosely. */
export const A2aAgentCard = z.looseObject({
  name: z.string(),
  description: z.string(),
  version: z.string(),
  supportedInterfaces: z.array(z.looseObject({
    url: z.string(),
    protocolBinding: z.string(),
    protocolVersion: z.string().optional(),
  })),
  capabilities: z.looseObject({ streaming: z.boolean().optional() }),
  securitySchemes: z.record(z.string(), z.unknown()).optional(),
  defaultInputModes: z.array(z.string()),
  defaultOutputModes: z.array(z.string()),
  skills: z.array(A2aSkill),
});
/** An agent card. */
export type A2aAgentCard = z.infer<typeof A2aAgentCard>;

/** What Talon shows of a card it read. */
export const A2aCardView = z.object({
  /** Where the card was read. */
  card_url: z.string(),
  name: z.string(),
  description: z.string(),
  version: z.string(),
  /** The JSON-RPC endpoint Talon would send messages to, if the card offers one. */
  endpoint: z.string().nullable(),
  streaming: z.boolean(),
  /** Authentication schemes the card declares (e.g. `bearer`). */
  auth: z.array(z.string()),
  skills: z.array(z.object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    tags: z.array(z.string()),
  })),
});
/** A card as Talon shows it. */
export type A2aCardView = z.infer<typeof A2aCardView>;

/** A configured peer and what Talon last learnt of it. */
export const A2aPeerView = z.object({
  name: z.string(),
  url: z.string(),
  /** True when a bearer token is configured and its variable is set. */
  has_token: z.boolean(),
  /** The card from the last discovery in this process, if any. */
  card: A2aCardView.nullable(),
  /** Why the last discovery failed, if it did. */
  error: z.string().nullable(),
  discovered_at: z.string().nullable(),
});
/** A peer as the API shows it. */
export type A2aPeerView = z.infer<typeof A2aPeerView>;

/** `GET /api/a2a/peers`. */
export const A2aPeerList = z.object({ peers: z.array(A2aPeerView) });
/** The peer list. */
export type A2aPeerList = z.infer<typeof A2aPeerList>;

/** Body of `POST /api/a2a/discover` and input of `a2a_discover`. */
export const A2aDiscoverBody = z.strictObject({
  url: HttpUrl.describe("a configured peer's base URL or agent card URL"),
});
/** A discovery request. */
export type A2aDiscoverBody = z.infer<typeof A2aDiscoverBody>;

/** A JSON-RPC 2.0 answer (success or error) of `POST /a2a/agents/{name}`. */
export const A2aJsonRpcResponse = z.looseObject({
  jsonrpc: z.literal("2.0"),
  id: z.union([z.string(), z.number(), z.null()]),
  result: z.unknown().optional(),
  error: z.looseObject({ code: z.number(), message: z.string() }).optional(),
});
